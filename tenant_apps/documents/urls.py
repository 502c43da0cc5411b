"""Staff pages for a client's documents, included at `/staff/clients/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:client_id>/documents/", views.documents_tab_page, name="tab"),
    path("<int:client_id>/documents/share/", views.share_slot_page, name="share"),
    path(
        "<int:client_id>/documents/shared/<int:document_id>/confirm/",
        views.share_confirm_page,
        name="confirm",
    ),
    path(
        "<int:client_id>/documents/shared/<int:document_id>/unshare/",
        views.unshare_page,
        name="unshare",
    ),
    path(
        "<int:client_id>/documents/shared/<int:document_id>/download/",
        views.shared_download_page,
        name="shared-download",
    ),
    path(
        "<int:client_id>/documents/uploads/<int:upload_id>/download/",
        views.upload_download_page,
        name="upload-download",
    ),
]
