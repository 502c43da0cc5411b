from __future__ import annotations

from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Portal access per client: the features and information chosen in the setup wizard, and
    the invitations that give the client an account."""

    name = "tenant_apps.invitations"
    label = "invitations"
