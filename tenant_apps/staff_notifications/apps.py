from __future__ import annotations

from django.apps import AppConfig


class StaffNotificationsConfig(AppConfig):
    """In-app notifications for staff (a client completed onboarding, ...)."""

    name = "tenant_apps.staff_notifications"
    label = "staff_notifications"
