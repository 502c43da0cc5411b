"""URLs of the platform host (`PORTICO_DOMAIN`): the public site; later sign-up, console, API."""

from __future__ import annotations

from django.urls import path

from shared_apps.web.views import platform_home

urlpatterns = [
    path("", platform_home, name="platform-home"),
]
