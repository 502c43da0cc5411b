"""Routes of the documents app, mounted by config/urls_tenant.py: staff pages under
`/staff/clients/<id>/documents/` (namespace `documents`), the client's under `/documents/`
(`documents-portal`; the Documents & forms tab itself, `/documents/`, is the forms app's), the API
under `/api/v1/clients/<id>/` (`documents-api`), and the download links the API hands out, at
`/files/<token>/` (`documents-link`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.documents import api, link_views, portal_views, views

_pages = [
    path("", views.documents_tab_page, name="tab"),
    path("share/", views.share_slot_page, name="share"),
    path("shared/<int:document_id>/confirm/", views.share_confirm_page, name="confirm"),
    path("shared/<int:document_id>/unshare/", views.unshare_page, name="unshare"),
    path("shared/<int:document_id>/download/", views.shared_download_page, name="shared-download"),
    path("uploads/<int:upload_id>/download/", views.upload_download_page, name="upload-download"),
]

_portal = [
    path("shared/", portal_views.shared_list, name="shared"),
    path("shared/<int:document_id>/download/", portal_views.shared_download, name="download"),
    path("uploads/", portal_views.uploads_list, name="uploads"),
    path("uploads/new/", portal_views.upload_slot, name="upload-slot"),
    path("uploads/<int:upload_id>/confirm/", portal_views.upload_confirm, name="upload-confirm"),
]

_api = [
    path("documents/", api.DocumentListCreateApi.as_view(), name="documents"),
    path("documents/<int:document_id>/", api.DocumentDetailApi.as_view(), name="document"),
    path("documents/<int:document_id>/confirm/", api.DocumentConfirmApi.as_view(), name="confirm"),
    path(
        "documents/<int:document_id>/download/",
        api.DocumentDownloadApi.as_view(),
        name="download",
    ),
    path(
        "uploads/<int:upload_id>/download/",
        api.UploadDownloadApi.as_view(),
        name="upload-download",
    ),
]

staff_patterns = [path("clients/<int:client_id>/documents/", include((_pages, "documents")))]
portal_patterns = [path("documents/", include((_portal, "documents-portal")))]
api_patterns = [path("clients/<int:client_id>/", include((_api, "documents-api")))]
# A download link carries its own credential (the token), whoever follows it: not a portal page.
download_link_patterns = [
    path(
        "files/",
        include(
            ([path("<str:token>/", link_views.download_link_open, name="open")], "documents-link")
        ),
    ),
]
