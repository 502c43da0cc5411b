"""The audit log cannot be changed or emptied by the application's own database user."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from provisioning.schemas import template_schema_ensure
from provisioning.services import pool_refill, practice_claim
from shared_apps.web.origin import request_origin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.models import AuditEntry
from tenant_apps.audit.services import audit_record
from tests.cast import Cast
from tests.support.provisioning import owner

pytestmark = pytest.mark.django_db


def _assert_append_only(schema_name: str) -> None:
    with schema_context(schema_name):
        entry = audit_record(action=AuditAction.CLIENT_VIEWED, object_type="client", object_id=7)
        for attempt in (
            lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="client.created"),
            lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                attempt()
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_auditentry")
        assert AuditEntry.objects.get(pk=entry.pk).action == "client.viewed"


def test_entries_cannot_be_updated_deleted_or_truncated(cast: Cast) -> None:
    _assert_append_only(cast.a.practice.schema_name)


def test_a_practice_cloned_from_the_template_is_append_only_too() -> None:
    template_schema_ensure()
    pool_refill(target=1)
    practice = practice_claim(name="Cloned", subdomain="cloned-audit", owner=owner())
    _assert_append_only(practice.schema_name)


def test_an_entry_records_actor_request_and_object_without_phi(rf, cast: Cast) -> None:
    request = rf.get("/staff/clients/7/", HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="203.0.113.9")
    with cast.a.schema():
        entry = audit_record(
            action=AuditAction.CLIENT_VIEWED,
            actor=cast.a.owner,
            origin=request_origin(request),
            object_type="client",
            object_id=7,
        )
    assert (entry.actor_id, entry.actor_kind, entry.actor_role) == (
        cast.a.owner.pk,
        "staff",
        "owner",
    )
    assert (entry.ip, entry.user_agent) == ("203.0.113.9", "Firefox/140")
    assert (entry.object_type, entry.object_id) == ("client", "7")
