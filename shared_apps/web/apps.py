from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The HTTP shell both hosts share: base template, styles, error pages, response headers."""

    name = "shared_apps.web"
    label = "web"
