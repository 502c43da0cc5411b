from __future__ import annotations

from django.apps import AppConfig


class DevMailboxConfig(AppConfig):
    """Development only: an email backend that keeps sent mail as files, and pages listing it."""

    name = "shared_apps.devmailbox"
    label = "devmailbox"
