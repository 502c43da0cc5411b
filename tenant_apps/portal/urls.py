from __future__ import annotations

from django.urls import path

from tenant_apps.accounts import views as account_views
from tenant_apps.portal import client_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("forgot-password/", account_views.forgot_password, name="forgot-password"),
    path("reset-password/", account_views.reset_password, name="reset-password"),
    path(
        "reset-password/<str:token>/",
        account_views.reset_password_link,
        name="reset-password-link",
    ),
    path("invitation/<str:token>/", client_views.invitation_link, name="invitation-link"),
    path("welcome/", client_views.accept, name="accept"),
    path("onboarding/", client_views.onboarding, name="onboarding"),
    path("onboarding/<slug:step>/", client_views.onboarding_step, name="onboarding-step"),
    path("preferences/", client_views.preferences, name="preferences"),
]
