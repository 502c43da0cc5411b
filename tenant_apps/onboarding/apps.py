from __future__ import annotations

from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    """The information a client gives when they first arrive (demographics, emergency contact,
    insurance), one step each, as the practice asked for it."""

    name = "tenant_apps.onboarding"
    label = "onboarding"
