"""Routes of the console, on the platform host only, mounted by config/urls_public.py: the
operators' pages at `/console/` (namespace `console`) and the platform API at `/api/platform/`
(`platform-api`, operator token auth)."""

from __future__ import annotations

from django.urls import include, path

from shared_apps.console import api, views

_pages = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("", views.practice_list, name="practices"),
    path("practices/new/", views.practice_provision, name="practice-provision"),
    path("practices/<uuid:practice_uuid>/", views.practice_detail_page, name="practice-detail"),
    path(
        "practices/<uuid:practice_uuid>/suspend/",
        views.practice_suspend_page,
        name="practice-suspend",
    ),
    path(
        "practices/<uuid:practice_uuid>/resume/", views.practice_resume_page, name="practice-resume"
    ),
    path(
        "practices/<uuid:practice_uuid>/subdomain/",
        views.practice_subdomain_page,
        name="practice-change-subdomain",
    ),
    path(
        "practices/<uuid:practice_uuid>/offboard/",
        views.practice_offboard_page,
        name="practice-offboard",
    ),
    path("health/", views.health, name="health"),
]

_api = [
    path("practices/", api.PracticeListCreateApi.as_view(), name="practices"),
    path("practices/<uuid:practice_uuid>/", api.PracticeDetailApi.as_view(), name="practice"),
    path(
        "practices/<uuid:practice_uuid>/suspend/",
        api.PracticeSuspendApi.as_view(),
        name="practice-suspend",
    ),
    path(
        "practices/<uuid:practice_uuid>/resume/",
        api.PracticeResumeApi.as_view(),
        name="practice-resume",
    ),
    path(
        "practices/<uuid:practice_uuid>/change-subdomain/",
        api.PracticeSubdomainChangeApi.as_view(),
        name="practice-change-subdomain",
    ),
]

# The sign-in steps are the only console pages open to a session that has not passed 2FA.
SIGN_IN_ROUTES = frozenset({"sign-in", "two-factor", "sign-out"})

console_patterns = [path("console/", include((_pages, "console")))]
api_patterns = [path("api/platform/", include((_api, "platform-api")))]
