"""The submissions API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms.submissions import api

app_name = "submissions-api"
urlpatterns = [
    path("submissions/", api.SubmissionListApi.as_view(), name="submissions"),
    path("submissions/<int:submission_id>/", api.SubmissionDetailApi.as_view(), name="submission"),
    path("submissions/<int:submission_id>/pdf/", api.SubmissionPdfApi.as_view(), name="pdf"),
]
