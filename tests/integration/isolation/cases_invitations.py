"""Isolation cases for portal access (tenant_apps/invitations), the client's invitation link,
onboarding and preferences (tenant_apps/portal/client_views.py), and the invitations API.

Staff routes: with a client of A in place, B's owner and B's client ask on B's host for A's client
by its id (404 for staff, 403 for a client), and B's people's cookies on A's host get sign-in (or
403 from the API). Client routes: A's invitation token and A's client's cookie on B's host get the
friendly 404 or sign-in. Afterwards A's and B's clients, invitations, outbox and audit log are
exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import Invitation, PortalAccess
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.onboarding.models import Demographics
from tests.cast import Cast, PracticeCast
from tests.support.invitations import accept, emails, invitation_token, invite
from tests.support.isolation import (
    anonymous_status,
    assert_anonymous,
    b_people_send,
    client_of_a,
    cookie_carried,
    sender,
)

_NAME = ("Isadora", "Invitedelsewhere")
_EMAIL = "isadora.invited@example.org"


def _client_of_a(cast: Cast) -> Client:
    return client_of_a(cast, _NAME, _EMAIL)


def _practice_state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(Client.objects.order_by("pk").values_list("pk", "portal_status", "account_id")),
            list(Invitation.objects.order_by("pk").values_list("pk", "status")),
            list(PortalAccess.objects.order_by("pk").values()),
            Demographics.objects.count(),
            OutboundEmail.objects.count(),
            AuditEntry.objects.exclude(action__startswith="signin.").count(),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a), _practice_state(cast.b)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (*_NAME, _EMAIL, cast.a.practice.name, cast.a.owner.email):
        assert secret.encode() not in content, secret


def _staff_case(
    method: str,
    path: str,
    *,
    b_staff_status: int,
    is_api: bool = False,
    data: dict[str, Any] | None = None,
    invited: bool = False,
) -> Callable[[Cast], None]:
    """`path` may hold `{pk}`, replaced by the id of A's client (invited first when
    `invited`)."""

    def case(cast: Cast) -> None:
        client = _client_of_a(cast)
        if invited:
            invite(cast.a, client)
        target = path.format(pk=client.pk)
        payload = {key: str(value).format(pk=client.pk) for key, value in (data or {}).items()}
        b_people_send(
            cast,
            sender(method, target, payload, is_api=is_api),
            b_staff=b_staff_status,
            b_client=403,
            cookie_on_a=anonymous_status(is_api=is_api),
            nothing_of_a=_assert_nothing_of_a,
            unchanged=lambda: _state(cast),
            context=target,
        )

    return case


def invitation_link(cast: Cast) -> None:
    token = invite(cast.a, _client_of_a(cast))
    before = _state(cast)
    on_b = cast.b.http()
    response = on_b.get(f"/invitation/{token}/")
    assert response.status_code == 404
    _assert_nothing_of_a(response.content, cast)
    assert _state(cast) == before
    assert cast.a.http().get(f"/invitation/{token}/").status_code == 302  # still usable on A


def accept_page(cast: Cast) -> None:
    token = invite(cast.a, _client_of_a(cast))
    on_a = cast.a.http()
    assert on_a.get(f"/invitation/{token}/").status_code == 302
    on_b = cast.b.http()
    on_b.cookies.update(on_a.cookies)
    before = _state(cast)
    new = {"password1": "isolation-pass-4242", "password2": "isolation-pass-4242"}
    for response in (on_b.get("/welcome/"), on_b.post("/welcome/", new)):
        assert response.status_code == 404
        _assert_nothing_of_a(response.content, cast)
    assert _state(cast) == before
    assert on_a.get("/welcome/").status_code == 200  # A's own browser still has its link


def _client_page(
    path: str, on_a_answer: int, data: dict[str, str] | None = None
) -> Callable[[Cast], None]:
    """B's browsers get nothing of A's client page; A's own client gets `on_a_answer`."""

    def case(cast: Cast) -> None:
        client = _client_of_a(cast)
        staff = cast.a.signed_in(cast.a.owner)
        staff.post(f"/staff/clients/{client.pk}/setup/access/", {"collect_demographics": "on"})
        on_a = accept(cast.a, invitation_token(emails(cast.a, "client_invitation")[-1]))
        on_b = cookie_carried(on_a, cast.b)
        before = _state(cast)
        for response in (on_b.get(path), on_b.post(path, data or {})):
            assert_anonymous(response, 302, path)
        # B's own client (no client record of B's) sees no portal page of anyone's.
        assert cast.b.signed_in(cast.b.client_user).post(path, data or {}).status_code == 403
        assert _state(cast) == before
        assert on_a.get(path).status_code == on_a_answer

    return case


_DEMOGRAPHICS = {"address_line1": "1 Other St", "city": "Elsewhere", "postal_code": "999"}

CASES: dict[str, Callable[[Cast], None]] = {
    "onboarding:setup-details": _staff_case(
        "get", "/staff/clients/{pk}/setup/", b_staff_status=404
    ),
    "onboarding:setup-access": _staff_case(
        "post",
        "/staff/clients/{pk}/setup/access/",
        b_staff_status=404,
        data={"secure_messaging": "on"},
    ),
    "onboarding:portal": _staff_case("get", "/staff/clients/{pk}/portal/", b_staff_status=404),
    "invitations:invite": _staff_case(
        "post", "/staff/clients/{pk}/portal/invite/", b_staff_status=404
    ),
    "invitations:resend": _staff_case(
        "post", "/staff/clients/{pk}/portal/resend/", b_staff_status=404, invited=True
    ),
    "invitations:revoke": _staff_case(
        "post", "/staff/clients/{pk}/portal/revoke/", b_staff_status=404, invited=True
    ),
    # B's owner ticks A's client's id: nobody B can see, nothing sent, back to the import page.
    "invitations:bulk-invite": _staff_case(
        "post", "/staff/clients/import/invite/", b_staff_status=302, data={"client": "{pk}"}
    ),
    "invitations-api:send": _staff_case(
        "post", "/api/v1/clients/{pk}/invitation/send/", b_staff_status=404, is_api=True
    ),
    "invitations-api:resend": _staff_case(
        "post",
        "/api/v1/clients/{pk}/invitation/resend/",
        b_staff_status=404,
        is_api=True,
        invited=True,
    ),
    "invitations-api:revoke": _staff_case(
        "post",
        "/api/v1/clients/{pk}/invitation/revoke/",
        b_staff_status=404,
        is_api=True,
        invited=True,
    ),
    "portal:invitation-link": invitation_link,
    "portal:accept": accept_page,
    # Onboarding leads to its first step left; the step and the preferences are pages.
    "portal:onboarding": _client_page("/onboarding/", 302),
    "portal:onboarding-step": _client_page("/onboarding/demographics/", 200, _DEMOGRAPHICS),
    "portal:preferences": _client_page("/preferences/", 200, {"allows_email": ""}),
}
