"""URLs of the platform host (`PORTICO_DOMAIN`): the public site; later sign-up, console, API."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from provisioning.views import export_download
from shared_apps.web.views import platform_home

# Operators' REST API (token auth); its OpenAPI schema describes these routes only.
_platform_api = path("api/platform/", include("shared_apps.console.api_urls"))

urlpatterns = [
    path("", platform_home, name="platform-home"),
    path("signup/", include("shared_apps.signup.urls")),
    path("exports/<str:token>/", export_download, name="export-download"),
    # Answers 404 unless dev settings name the mailbox folder (PORTICO_DEV_MAILBOX_DIR).
    path("dev/mailbox/", include("shared_apps.devmailbox.urls")),
    path("console/", include("shared_apps.console.urls")),
    path(
        "api/platform/schema/",
        SpectacularAPIView.as_view(
            patterns=[_platform_api],
            custom_settings={
                "TITLE": "Portico platform API",
                "SCHEMA_PATH_PREFIX": "/api/platform",
            },
        ),
        name="platform-api-schema",
    ),
    _platform_api,
]
