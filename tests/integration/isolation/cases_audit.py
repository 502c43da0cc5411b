"""Isolation cases for the audit log page."""

from __future__ import annotations

from collections.abc import Callable

from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.models import AuditEntry
from tenant_apps.audit.services import audit_record
from tests.cast import Cast
from tests.support.isolation import cookie_carried


def audit_log(cast: Cast) -> None:
    with cast.a.schema():
        audit_record(
            action=AuditAction.CLIENT_VIEWED, actor=cast.a.owner, object_type="client", object_id=41
        )
        before = AuditEntry.objects.count()
    on_a = cast.a.signed_in(cast.a.owner)
    response = cookie_carried(on_a, cast.b).get("/staff/audit/")
    assert response.status_code == 302  # no session of A's exists on B's host
    own = cast.b.signed_in(cast.b.owner).get("/staff/audit/")
    assert own.status_code == 200
    assert b"client #41" not in own.content
    with cast.a.schema():
        assert AuditEntry.objects.count() == before


CASES: dict[str, Callable[[Cast], None]] = {"audit:log": audit_log}
