from __future__ import annotations

from django.apps import AppConfig


class PracticeAccountsConfig(AppConfig):
    """A practice's account pages: sign-in throttling, password reset, staff profile and team.

    The user model itself is `shared_apps.accounts` (also installed in every practice); this app
    has no models of its own.
    """

    name = "tenant_apps.accounts"
    label = "practice_accounts"
