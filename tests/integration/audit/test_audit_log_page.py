"""The owner reads the audit log with filters; nobody else does."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.models import AuditEntry
from tenant_apps.audit.services import audit_record
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(cast: Cast) -> None:
    with cast.a.schema():
        with time_machine.travel(timezone.now() - timedelta(days=3)):
            audit_record(
                action=AuditAction.CLIENT_VIEWED,
                actor=cast.a.owner,
                object_type="client",
                object_id=1,
            )
        audit_record(
            action=AuditAction.CLIENT_CREATED,
            actor=cast.a.clinician,
            object_type="client",
            object_id=2,
        )
        audit_record(action=AuditAction.SIGNIN_FAILED, object_type="user", object_id=9)


def _rows(content: bytes) -> int:
    return content.count(b"<tr>") - 1  # minus the header row


def test_owner_sees_every_entry_newest_first_and_the_reading_is_recorded(
    cast: Cast, entries: None
) -> None:
    response = cast.a.signed_in(cast.a.owner).get("/staff/audit/")
    assert response.status_code == 200
    body = response.content.decode().split("<tbody>")[1]
    assert _rows(response.content) == 3
    assert body.index("signin.failed") < body.index("client.created") < body.index("client.viewed")
    with cast.a.schema():
        assert AuditEntry.objects.filter(action="audit.viewed", actor_id=cast.a.owner.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "client.created"}, 1),
        ({"object_type": "user"}, 1),
        ({"object_type": "client", "object_id": "1"}, 1),
    ],
)
def test_filters(cast: Cast, entries: None, query: dict[str, str], expected: int) -> None:
    response = cast.a.signed_in(cast.a.owner).get("/staff/audit/", query)
    assert _rows(response.content) == expected


def test_filter_by_staff_member_and_by_dates(cast: Cast, entries: None) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    by_clinician = owner.get("/staff/audit/", {"actor": str(cast.a.clinician.pk)})  # type: ignore[union-attr]
    assert _rows(by_clinician.content) == 1
    today = timezone.localdate().isoformat()
    # Today: the clinician's entry, the failed sign-in, and the owner's reading just above.
    assert _rows(owner.get("/staff/audit/", {"since": today}).content) == 3
    backwards = owner.get("/staff/audit/", {"since": today, "until": "2020-01-01"})
    assert "must be on or before" in backwards.content.decode()


@pytest.mark.parametrize("who", ["clinician", "admin", "client_user"])
def test_only_the_owner_reads_the_audit_log(cast: Cast, who: str) -> None:
    if who == "admin":
        with cast.a.schema():
            user = User.objects.create_user(
                "front.desk@a.example.com",
                "a-long-admin-pass",
                kind=UserKind.STAFF,
                role=StaffRole.ADMIN,
            )
    else:
        user = getattr(cast.a, who)
    assert cast.a.signed_in(user).get("/staff/audit/").status_code == 403
    assert cast.a.http().get("/staff/audit/").status_code == 302
