"""Undo practices that tests committed (outside a test transaction)."""

from __future__ import annotations

from provisioning.schemas import schema_drop
from shared_apps.tenancy.models import Domain, Practice, PracticeEvent


def practice_remove(practice: Practice) -> None:
    """Remove a committed practice completely: schema, domains, row, history."""
    schema_drop(practice.schema_name)
    Domain.objects.filter(tenant_id=practice.pk).delete()
    PracticeEvent.objects.filter(practice_uuid=practice.uuid).delete()
    Practice.objects.filter(pk=practice.pk).delete()
