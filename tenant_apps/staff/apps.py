from __future__ import annotations

from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The practice staff's pages under /staff/."""

    name = "tenant_apps.staff"
    label = "staff"
