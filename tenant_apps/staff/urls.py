"""Routes of the staff area's own pages, mounted by config/urls_tenant.py at `/staff/`
(namespace `staff`): the home page, the sign-in hand-off and the email confirmation links."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.staff import views

_pages = [
    path("", views.home, name="home"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm-email"),
]

staff_patterns = [path("", include((_pages, "staff")))]
