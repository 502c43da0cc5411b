"""Isolation cases for a client's delivery log (`/staff/clients/<id>/deliveries/`).

With a client of A who has an email in A's outbox: B's owner asks B's host for A's client's id
(404), B's client gets 403, B's people's cookies on A's host go to sign-in, and A's clinician, who
is not assigned to that client, gets 404 too. Nothing of A shows in any answer, and the outbox and
audit log of A and B are exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.notifications.services import email_enqueue
from tests.cast import Cast, PracticeCast
from tests.support.isolation import b_people_send, client_of_a

_NAME = ("Delphine", "Deliveredelsewhere")
_EMAIL = "delphine.delivered@example.org"


def _client_of_a_with_an_email(cast: Cast) -> Client:
    client = client_of_a(cast, _NAME, _EMAIL)
    with cast.a.schema():
        email_enqueue(
            kind="client_invitation",
            to_email=_EMAIL,
            subject="Your client portal at Practice A",
            template_name="notifications/email/owner_email_confirmation.txt",
            context={"first_name": _NAME[0], "practice_name": "Practice A"},
            idempotency_key=f"isolation-deliveries:{client.pk}",
            client=client,
        )
        return client


def _practice_state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(OutboundEmail.objects.order_by("pk").values()),
            AuditEntry.objects.exclude(action__startswith="signin.").count(),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a), _practice_state(cast.b)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (*_NAME, _EMAIL, cast.a.practice.name, cast.a.owner.email, "Portal invitation"):
        assert secret.encode() not in content, secret


def deliveries_page(cast: Cast) -> None:
    client = _client_of_a_with_an_email(cast)
    path = f"/staff/clients/{client.pk}/deliveries/"
    before = _state(cast)

    b_people_send(
        cast,
        lambda browser: browser.get(path),
        b_staff=404,
        b_client=403,
        cookie_on_a=302,
        nothing_of_a=_assert_nothing_of_a,
        context=path,
    )
    assert cast.a.clinician is not None  # not assigned to this client: the same 404
    clinician_on_a = cast.a.signed_in(cast.a.clinician).get(path)
    assert clinician_on_a.status_code == 404
    for secret in (*_NAME, _EMAIL, "Portal invitation"):
        assert secret.encode() not in clinician_on_a.content
    assert _state(cast) == before

    own = cast.a.signed_in(cast.a.owner).get(path)  # the page works for A's owner
    assert own.status_code == 200
    assert b"Portal invitation" in own.content


CASES: dict[str, Callable[[Cast], None]] = {"notifications:deliveries": deliveries_page}
