from __future__ import annotations

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    """Practices and the host names that reach them (public schema, never PHI)."""

    name = "shared_apps.tenancy"
    label = "tenancy"
