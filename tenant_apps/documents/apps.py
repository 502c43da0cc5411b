from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Files between a practice and its clients: documents staff share, files clients upload."""

    name = "tenant_apps.documents"
    label = "documents"
