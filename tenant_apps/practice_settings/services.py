"""Changing the practice's portal settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from provisioning.services import practice_profile_update
from shared_apps.accounts.models import User
from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice
from tenant_apps.audit.services import audit_record
from tenant_apps.practice_settings.models import PortalSettings
from tenant_apps.practice_settings.selectors import portal_settings, portal_settings_cache_forget

# The practice's own row in `public`, changed through provisioning (the only code that may).
PRACTICE_PROFILE_FIELDS = ("name", "time_zone")
PORTAL_SETTINGS_FIELDS = tuple(
    field.name
    for field in PortalSettings._meta.concrete_fields
    if field.editable and field.name not in {"id", "updated_at"}
)


def portal_settings_update(
    *, actor: User, request: HttpRequest | None = None, **fields: Any
) -> PortalSettings:
    """Change the current practice's portal settings, and its name and time zone when given.

    `fields` takes any of `PORTAL_SETTINGS_FIELDS` and `PRACTICE_PROFILE_FIELDS`; others raise
    TypeError. Values are validated again here (django ValidationError; provisioning's
    ProvisioningError for the name and time zone). One transaction: the settings row (locked), the
    practice row in `public` (whose cached host lookups are forgotten) and one audit entry
    `settings.portal_updated` naming the changed fields, never their values (an address can be a
    clinician's home). The cached copy the portal home reads is forgotten. Nothing changed:
    nothing written, no audit entry.
    """
    unknown = fields.keys() - {*PORTAL_SETTINGS_FIELDS, *PRACTICE_PROFILE_FIELDS}
    if unknown:
        raise TypeError(f"Unknown portal settings: {sorted(unknown)}")
    portal_settings()  # make sure the row exists before locking it
    with transaction.atomic():
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
        changed += _practice_profile_update(actor=actor, fields=fields)
        if changed:
            audit_record(
                action="settings.portal_updated",
                request=request,
                actor=actor,
                object_type="portal_settings",
                object_id=settings.pk,
                detail={"fields": sorted(changed)},
            )
    if changed:
        # Now, so this very request's redirect shows the change, and after commit, in case a
        # concurrent read cached the old row in between.
        schema_name = current_schema_name()
        portal_settings_cache_forget(schema_name)
        transaction.on_commit(lambda: portal_settings_cache_forget(schema_name))
    return settings


def _practice_profile_update(*, actor: User, fields: dict[str, Any]) -> list[str]:
    """Hand a changed name or time zone to provisioning; return the names of what changed."""
    wanted = {name: fields[name] for name in PRACTICE_PROFILE_FIELDS if name in fields}
    if not wanted:
        return []
    # The row itself, by the schema we are in: the routed practice object may come from the host
    # cache, and `schema_context` (tasks, commands) sets no practice object at all.
    practice = Practice.objects.get(schema_name=current_schema_name())
    changed = [name for name, value in wanted.items() if getattr(practice, name) != value]
    if changed:
        practice_profile_update(
            practice=practice,
            name=wanted.get("name", practice.name),
            time_zone=wanted.get("time_zone", practice.time_zone),
            actor=f"staff:{actor.pk}",
        )
    return changed
