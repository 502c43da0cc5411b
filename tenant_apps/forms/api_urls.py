"""The forms API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms import api

app_name = "forms-api"
urlpatterns = [
    path("forms/", api.FormListApi.as_view(), name="forms"),
    path("forms/<int:form_id>/", api.FormDetailApi.as_view(), name="form"),
    path("clients/<int:client_id>/forms/", api.ClientFormsApi.as_view(), name="client-forms"),
    path(
        "clients/<int:client_id>/forms/share/",
        api.ClientFormsShareApi.as_view(),
        name="client-forms-share",
    ),
    path(
        "clients/<int:client_id>/forms/unshare/",
        api.ClientFormsUnshareApi.as_view(),
        name="client-forms-unshare",
    ),
]
