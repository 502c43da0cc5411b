"""Routes of the accounts app, mounted by config/urls_tenant.py: the staff member's own profile,
the team, two-factor and API tokens under `/staff/` (namespace `accounts`); password reset at the
root of the host, for clients and staff alike (`accounts-portal`); `/api/v1/me/` (`api-me`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.accounts import api, views

_staff = [
    path("profile/", views.profile, name="profile"),
    path("team/", views.team, name="team"),
    path("team/<int:member_id>/deactivate/", views.team_deactivate, name="team-deactivate"),
    path("join/", views.join, name="join"),
    path("join/<str:token>/", views.join_link, name="join-link"),
    path("team/two-factor/", views.team_two_factor, name="team-two-factor"),
    path("two-factor/", views.staff_two_factor, name="two-factor"),
    path("profile/api-tokens/", views.api_tokens, name="api-tokens"),
    path(
        "profile/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke_view,
        name="api-token-revoke",
    ),
]

_password_reset = [
    path("forgot-password/", views.forgot_password, name="forgot-password"),
    path("reset-password/", views.reset_password, name="reset-password"),
    path("reset-password/<str:token>/", views.reset_password_link, name="reset-password-link"),
]

staff_patterns = [path("", include((_staff, "accounts")))]
portal_patterns = [path("", include((_password_reset, "accounts-portal")))]
api_patterns = [path("me/", api.MeView.as_view(), name="api-me")]
