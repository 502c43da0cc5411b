from __future__ import annotations

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """The practice's client records: who they are, who sees them, their portal status."""

    name = "tenant_apps.clients"
    label = "clients"
