"""The platform API's routes, included at `/api/platform/` on the platform host."""

from __future__ import annotations

from django.urls import path

from shared_apps.console import api

app_name = "platform-api"
urlpatterns = [
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
