"""URLs of the platform host (`PORTICO_DOMAIN`): the public site, sign-up, the console and the
platform API. Each row mounts one app's routes."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from provisioning.views import export_download
from shared_apps.console import urls as console
from shared_apps.web.views import platform_home

urlpatterns = [
    path("", platform_home, name="platform-home"),
    path("signup/", include("shared_apps.signup.urls")),
    path("exports/<str:token>/", export_download, name="export-download"),
    # Answers 404 unless dev settings name the mailbox folder (PORTICO_DEV_MAILBOX_DIR).
    path("dev/mailbox/", include("shared_apps.devmailbox.urls")),
    *console.console_patterns,  # operators' pages, /console/
    *console.api_patterns,  # operators' REST API (token auth), /api/platform/
    # The platform API's OpenAPI schema describes its routes only.
    path(
        "api/platform/schema/",
        SpectacularAPIView.as_view(
            patterns=console.api_patterns,
            custom_settings={
                "TITLE": "Portico platform API",
                "SCHEMA_PATH_PREFIX": "/api/platform",
            },
        ),
        name="platform-api-schema",
    ),
]
