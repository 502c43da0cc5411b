"""Staff pages of the outbox, included at `/staff/clients/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("<int:client_id>/deliveries/", views.client_deliveries_page, name="deliveries"),
]
