"""The documents API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.documents import api

app_name = "documents-api"
urlpatterns = [
    path(
        "clients/<int:client_id>/documents/", api.DocumentListCreateApi.as_view(), name="documents"
    ),
    path(
        "clients/<int:client_id>/documents/<int:document_id>/",
        api.DocumentDetailApi.as_view(),
        name="document",
    ),
    path(
        "clients/<int:client_id>/documents/<int:document_id>/confirm/",
        api.DocumentConfirmApi.as_view(),
        name="confirm",
    ),
    path(
        "clients/<int:client_id>/documents/<int:document_id>/download/",
        api.DocumentDownloadApi.as_view(),
        name="download",
    ),
    path(
        "clients/<int:client_id>/uploads/<int:upload_id>/download/",
        api.UploadDownloadApi.as_view(),
        name="upload-download",
    ),
]
