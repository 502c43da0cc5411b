"""Changing the practice's portal settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.services import practice_profile_update
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.practice_settings.models import PortalSettings
from tenant_apps.practice_settings.selectors import portal_settings, portal_settings_cache_forget

# The practice's own row in `public`, changed through shared_apps/tenancy's services.
PRACTICE_PROFILE_FIELDS = ("name", "time_zone")
PORTAL_SETTINGS_FIELDS = tuple(
    field.name
    for field in PortalSettings._meta.concrete_fields
    if field.editable and field.name not in {"id", "updated_at"}
)


def portal_settings_update(
    *, actor: User, origin: RequestOrigin | None = None, **fields: Any
) -> PortalSettings:
    """Change the current practice's portal settings, and its name and time zone when given.

    `fields` takes any of `PORTAL_SETTINGS_FIELDS` and `PRACTICE_PROFILE_FIELDS`; others raise
    TypeError. Values are validated again here (django ValidationError; PracticeProfileError for
    the name and time zone). One transaction: the settings row (locked), the
    practice row in `public` (whose cached host lookups are forgotten) and one audit entry
    `settings.portal_updated` naming the changed fields, never their values (an address can be a
    clinician's home). The cached copy the portal home reads is forgotten. Nothing changed:
    nothing written, no audit entry.
    """
    unknown = fields.keys() - {*PORTAL_SETTINGS_FIELDS, *PRACTICE_PROFILE_FIELDS}
    if unknown:
        raise TypeError(f"Unknown portal settings: {sorted(unknown)}")
    portal_settings()  # make sure the row exists before locking it
    with transaction.atomic(durable=True):
        settings = PortalSettings.objects.select_for_update().get(singleton=True)
        changed = [
            name
            for name in PORTAL_SETTINGS_FIELDS
            if name in fields and getattr(settings, name) != fields[name]
        ]
        for name in changed:
            setattr(settings, name, fields[name])
        if changed:
            settings.full_clean()
            settings.save(update_fields=[*changed, "updated_at"])
        changed += _practice_profile_update(fields=fields)
        if changed:
            audit_record(
                action=AuditAction.SETTINGS_PORTAL_UPDATED,
                actor=actor,
                origin=origin,
                object_type="portal_settings",
                object_id=settings.pk,
                detail={"fields": sorted(changed)},
            )
    if changed:
        # After the commit (the block above is durable), so no read in between caches the old
        # row again, and before returning, so this very request's redirect shows the change.
        portal_settings_cache_forget(current_schema_name())
    return settings


def _practice_profile_update(*, fields: dict[str, Any]) -> list[str]:
    """Hand a changed name or time zone to shared_apps/tenancy; return the names of what
    changed."""
    wanted = {name: fields[name] for name in PRACTICE_PROFILE_FIELDS if name in fields}
    if not wanted:
        return []
    practice = current_practice()
    changed = [name for name, value in wanted.items() if getattr(practice, name) != value]
    if changed:
        practice_profile_update(
            practice=practice,
            name=wanted.get("name", practice.name),
            time_zone=wanted.get("time_zone", practice.time_zone),
        )
    return changed
