from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The one user model: in `public` (operators) and in every practice (staff, clients)."""

    name = "shared_apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"
