"""Reading the audit log (owners only; see views)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tenant_apps.audit.models import AuditEntry


def audit_entries(
    *,
    action: str = "",
    actor_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    object_type: str = "",
    object_id: str = "",
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered: `action` matches a prefix (`client.` for every client
    action), dates are whole days in the current time zone, `until` included."""
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if since is not None:
        entries = entries.filter(created_at__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(created_at__lt=_start_of(until) + timedelta(days=1))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


def audit_action_names() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
