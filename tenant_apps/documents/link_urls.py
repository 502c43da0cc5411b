"""Download links of the practice API, included at `/files/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.documents import link_views

app_name = "documents-link"
urlpatterns = [path("<str:token>/", link_views.download_link_open, name="open")]
