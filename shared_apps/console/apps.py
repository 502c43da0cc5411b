from __future__ import annotations

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The operators' console at `/console/` and the platform API at `/api/platform/`, both on the
    platform host only. Metadata and counts of practices, never their PHI."""

    name = "shared_apps.console"
    label = "console"
    verbose_name = "Operator console"
