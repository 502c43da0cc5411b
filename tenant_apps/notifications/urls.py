"""Routes of the outbox, mounted by config/urls_tenant.py: a client's deliveries, a staff page
under `/staff/clients/<id>/` (namespace `notifications`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.notifications import views

_pages = [path("deliveries/", views.client_deliveries_page, name="deliveries")]

staff_patterns = [path("clients/<int:client_id>/", include((_pages, "notifications")))]
