from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The client-facing pages of a practice's portal."""

    name = "tenant_apps.portal"
    label = "portal"
