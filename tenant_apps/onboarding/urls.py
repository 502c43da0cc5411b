"""Routes of onboarding's staff pages, mounted by config/urls_tenant.py under `/staff/clients/`
(namespace `onboarding`): a client's setup wizard and Portal tab. The client's own onboarding
steps are the portal's pages."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.onboarding import views

_pages = [
    path("<int:client_id>/setup/", views.setup_details_page, name="setup-details"),
    path("<int:client_id>/setup/access/", views.setup_access_page, name="setup-access"),
    path("<int:client_id>/portal/", views.portal_tab_page, name="portal"),
]

staff_patterns = [path("clients/", include((_pages, "onboarding")))]
