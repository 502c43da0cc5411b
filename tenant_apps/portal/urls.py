"""Routes of the client portal's own pages, mounted by config/urls_tenant.py at the root of a
practice's host (namespace `portal`): home, sign-in, the invitation link, onboarding and
preferences."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.portal import client_views, views

_pages = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("invitation/<str:token>/", client_views.invitation_link, name="invitation-link"),
    path("welcome/", client_views.accept, name="accept"),
    path("onboarding/", client_views.onboarding, name="onboarding"),
    path("onboarding/<slug:step>/", client_views.onboarding_step, name="onboarding-step"),
    path("preferences/", client_views.preferences, name="preferences"),
]

portal_patterns = [path("", include((_pages, "portal")))]
