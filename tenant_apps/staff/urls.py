from __future__ import annotations

from django.urls import path

from tenant_apps.accounts import views as account_views
from tenant_apps.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm-email"),
    path("profile/", account_views.profile, name="profile"),
    path("team/", account_views.team, name="team"),
    path("team/<int:member_id>/deactivate/", account_views.team_deactivate, name="team-deactivate"),
    path("join/", account_views.join, name="join"),
    path("join/<str:token>/", account_views.join_link, name="join-link"),
    path("team/two-factor/", account_views.team_two_factor, name="team-two-factor"),
    path("two-factor/", account_views.staff_two_factor, name="two-factor"),
    path("profile/api-tokens/", account_views.api_tokens, name="api-tokens"),
    path(
        "profile/api-tokens/<int:token_id>/revoke/",
        account_views.api_token_revoke_view,
        name="api-token-revoke",
    ),
]
