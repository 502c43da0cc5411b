"""Routes of the practice's settings, mounted by config/urls_tenant.py: staff pages under
`/staff/settings/` (namespace `practice_settings`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.practice_settings import views

_pages = [path("portal/", views.portal, name="portal")]

staff_patterns = [path("settings/", include((_pages, "practice_settings")))]
