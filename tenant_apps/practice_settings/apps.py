from __future__ import annotations

from django.apps import AppConfig


class PracticeSettingsConfig(AppConfig):
    """Settings > Portal: what clients see of the practice, and defaults for new clients."""

    name = "tenant_apps.practice_settings"
    label = "practice_settings"
