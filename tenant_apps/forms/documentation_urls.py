"""Client > Portal > Manage documentation, included at `/staff/clients/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms import views

app_name = "forms-documentation"
urlpatterns = [
    path(
        "<int:client_id>/portal/documentation/",
        views.documentation_page,
        name="documentation",
    ),
]
