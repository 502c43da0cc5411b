from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The practice's audit log: who read or changed what, when and from where. Append-only."""

    name = "tenant_apps.audit"
    label = "audit"
