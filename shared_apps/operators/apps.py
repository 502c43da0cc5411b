from __future__ import annotations

from django.apps import AppConfig


class OperatorsConfig(AppConfig):
    """Platform operators' credentials (public schema only): TOTP devices and API tokens."""

    name = "shared_apps.operators"
    label = "operators"
    verbose_name = "Operators"
