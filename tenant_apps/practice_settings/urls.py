from __future__ import annotations

from django.urls import path

from tenant_apps.practice_settings import views

app_name = "practice_settings"
urlpatterns = [
    path("portal/", views.portal, name="portal"),
]
