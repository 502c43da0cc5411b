from __future__ import annotations

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Secure messages between a client and the practice: one conversation per client."""

    name = "tenant_apps.messaging"
    label = "messaging"
