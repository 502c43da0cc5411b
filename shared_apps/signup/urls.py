from __future__ import annotations

from django.urls import path

from shared_apps.signup import views

app_name = "signup"
urlpatterns = [
    path("", views.sign_up, name="sign-up"),
    path("subdomain-check/", views.subdomain_check, name="subdomain-check"),
]
