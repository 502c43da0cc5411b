"""The clients API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.clients import api

app_name = "clients-api"
urlpatterns = [
    path("clients/", api.ClientListCreateApi.as_view(), name="clients"),
    path("clients/<int:client_id>/", api.ClientDetailApi.as_view(), name="client"),
]
