"""Client pages for documents, included at `/documents/` (the Documents & forms tab itself,
`/documents/`, belongs to the forms app)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.documents import portal_views

app_name = "documents-portal"
urlpatterns = [
    path("shared/", portal_views.shared_list, name="shared"),
    path("shared/<int:document_id>/download/", portal_views.shared_download, name="download"),
    path("uploads/", portal_views.uploads_list, name="uploads"),
    path("uploads/new/", portal_views.upload_slot, name="upload-slot"),
    path("uploads/<int:upload_id>/confirm/", portal_views.upload_confirm, name="upload-confirm"),
]
