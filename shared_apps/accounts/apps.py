from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The one user model (and its one-time tokens), installed twice: in the
    public schema, where it holds operators only, and in every practice schema, where it holds that
    practice's staff and clients — PHI, kept in that schema like any practice table. Not a
    "public, never PHI" app despite living under `shared_apps/` (README.md, "Layers")."""

    name = "shared_apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"
