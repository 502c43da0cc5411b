"""Reading the practice's portal settings."""

from __future__ import annotations

from django.core.cache import caches

from shared_apps.tenancy.db import current_schema_name
from tenant_apps.practice_settings.models import PortalSettings

# The portal home is read by every visitor; routing is free once cached, and so is this. The key
# names the schema itself (in the `platform` cache, whose keys do not depend on the connection),
# so that forgetting it after commit hits the right practice whatever schema is current by then.
_CACHE_SECONDS = 300


def portal_settings() -> PortalSettings:
    """The current practice's settings, from the database; created with the defaults on first
    read (a concurrent first read is safe: the unique constraint lets one insert win, the other
    reads it)."""
    settings, _ = PortalSettings.objects.get_or_create(singleton=True)
    return settings


def portal_settings_cached() -> PortalSettings:
    """The same, through the cache, for pages that only show the settings (the portal home).
    `portal_settings_update` forgets the entry; a read racing an update is stale at most
    `_CACHE_SECONDS`."""
    key = _cache_key(current_schema_name())
    settings = caches["platform"].get(key)
    if not isinstance(settings, PortalSettings):
        settings = portal_settings()
        caches["platform"].set(key, settings, _CACHE_SECONDS)
    return settings


def portal_settings_cache_forget(schema_name: str) -> None:
    caches["platform"].delete(_cache_key(schema_name))


def _cache_key(schema_name: str) -> str:
    return f"practice_settings:portal:{schema_name}"
