from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The outbox: every email a practice sends is first a row in its own schema (DESIGN.md §5)."""

    name = "tenant_apps.notifications"
    label = "notifications"
