"""A client's delivery log (`/staff/clients/<id>/deliveries/`): kind, recipient, state, attempts
and times of every email about the client, for whoever may see the client; never a subject, body
or address."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.selectors import client_deliveries, kind_label
from tenant_apps.notifications.services import email_enqueue
from tests.cast import Cast
from tests.support.outbox import TEMPLATE

pytestmark = pytest.mark.django_db

SUBJECT = "Subject-canary 7f3a"
CONTEXT = {"first_name": "Body-canary 9c1e", "practice_name": "Practice A"}


def _email(client: Client | None, key: str, *, to_email: str, kind: str) -> OutboundEmail:
    return email_enqueue(
        kind=kind,
        to_email=to_email,
        subject=SUBJECT,
        template_name=TEMPLATE,
        context=CONTEXT,
        idempotency_key=key,
        client=client,
    )


@pytest.fixture
def logged(cast: Cast, assigned: Client, unassigned: Client) -> dict[str, Any]:
    """Three emails about `assigned` (one sent, one failed, one queued) and one about someone
    else, plus one about no client."""
    with cast.a.schema():
        invitation = _email(
            assigned, "log:invitation", to_email="avery@example.org", kind="client_invitation"
        )
        OutboundEmail.objects.filter(pk=invitation.pk).update(
            state=OutboundEmailState.SENT, sent_at=timezone.now(), attempts=1
        )
        failed = _email(
            assigned, "log:failed", to_email="avery@example.org", kind="message_waiting"
        )
        OutboundEmail.objects.filter(pk=failed.pk).update(
            state=OutboundEmailState.FAILED, attempts=1, last_error="SMTPRecipientsRefused 550"
        )
        assert cast.a.clinician is not None
        to_staff = _email(
            assigned,
            "log:staff",
            to_email=cast.a.clinician.email,
            kind="onboarding_completed",
        )
        _email(unassigned, "log:other", to_email="uma@example.org", kind="client_invitation")
        _email(None, "log:none", to_email="avery@example.org", kind="password_reset")
    return {"client": assigned, "ids": [to_staff.pk, failed.pk, invitation.pk]}


def _page(cast: Cast, user: User, client: Client) -> Any:
    return cast.a.signed_in(user).get(f"/staff/clients/{client.pk}/deliveries/")


def test_the_log_lists_the_clients_emails_newest_first_without_their_content(
    cast: Cast, logged: dict[str, Any]
) -> None:
    client = logged["client"]
    with cast.a.schema():
        rows = client_deliveries(client=client)
    assert [row.kind for row in rows] == [
        "onboarding_completed",
        "message_waiting",
        "client_invitation",
    ]
    assert cast.a.clinician is not None
    assert [row.recipient for row in rows] == [
        f"Staff: {cast.a.clinician.display_name}",
        "Client",
        "Client",
    ]
    assert [(row.state, row.attempts) for row in rows] == [
        (OutboundEmailState.QUEUED, 0),
        (OutboundEmailState.FAILED, 1),
        (OutboundEmailState.SENT, 1),
    ]

    response = _page(cast, cast.a.owner, client)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Onboarding completed (to staff)",
        "Secure message waiting",
        "Portal invitation",
        "Failed (gave up)",
        "SMTPRecipientsRefused 550",
        "Sent ",
        "Queued",
    ):
        assert text in html, text
    for secret in (SUBJECT, "Body-canary", "avery@example.org", cast.a.clinician.email, "uma@"):
        assert secret not in html, secret
    assert "Password reset" not in html  # about no client: in nobody's log


def test_the_log_is_for_the_owner_admins_and_the_clients_own_clinician(
    cast: Cast, logged: dict[str, Any], admin_a: User
) -> None:
    client = logged["client"]
    assert cast.a.clinician is not None
    for user in (cast.a.owner, admin_a, cast.a.clinician):
        assert _page(cast, user, client).status_code == 200, user.role
    assert _page(cast, cast.a.client_user, client).status_code == 403
    anonymous = cast.a.http().get(f"/staff/clients/{client.pk}/deliveries/")
    assert anonymous.status_code == 302


def test_a_clinician_gets_404_for_a_client_not_theirs_and_nothing_is_recorded(
    cast: Cast, unassigned: Client
) -> None:
    assert cast.a.clinician is not None
    with cast.a.schema():
        before = AuditEntry.objects.count()
    assert _page(cast, cast.a.clinician, unassigned).status_code == 404
    with cast.a.schema():
        assert AuditEntry.objects.count() == before


def test_viewing_the_log_is_audited_with_the_client_id_only(
    cast: Cast, logged: dict[str, Any]
) -> None:
    client = logged["client"]
    assert _page(cast, cast.a.owner, client).status_code == 200
    with cast.a.schema():
        entry = AuditEntry.objects.filter(action="client.deliveries_viewed").get()
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.detail) == (
        cast.a.owner.pk,
        "client",
        str(client.pk),
        {},
    )


def test_the_log_costs_the_same_queries_however_many_emails(
    cast: Cast, assigned: Client, django_assert_max_num_queries: Any
) -> None:
    with cast.a.schema():
        for number in range(30):
            _email(assigned, f"log:many:{number}", to_email="avery@example.org", kind="x")
        with django_assert_max_num_queries(2):
            assert len(client_deliveries(client=assigned)) == 30


def test_the_client_page_links_to_the_log(cast: Cast, assigned: Client) -> None:
    html = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{assigned.pk}/").content.decode()
    assert f'href="/staff/clients/{assigned.pk}/deliveries/"' in html


def test_unknown_kinds_get_a_readable_label() -> None:
    assert kind_label("client_invitation") == "Portal invitation"
    assert kind_label("appointment_reminder") == "Appointment reminder"
