from __future__ import annotations

from django.apps import AppConfig


class FormsConfig(AppConfig):
    """Forms staff build and share, the versions clients fill, submissions and signatures."""

    name = "tenant_apps.forms"
    label = "forms"
