from __future__ import annotations

from django.apps import AppConfig


class SignupConfig(AppConfig):
    """A practice signs itself up on the platform host and lands in its own portal."""

    name = "shared_apps.signup"
    label = "signup"
