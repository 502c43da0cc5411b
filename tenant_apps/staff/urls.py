from __future__ import annotations

from django.urls import path

from tenant_apps.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm-email"),
]
