"""Routes of the clients app, mounted by config/urls_tenant.py: staff pages at
`/staff/clients/` (namespace `clients`), the API at `/api/v1/clients/` (`clients-api`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.clients import api, views

_pages = [
    path("", views.client_list_page, name="list"),
    path("new/", views.client_create_page, name="create"),
    path("import/", views.client_import_upload_page, name="import"),
    path("import/mapping/", views.client_import_mapping_page, name="import-mapping"),
    path("import/done/", views.client_import_done_page, name="import-done"),
    path("<int:client_id>/", views.client_detail_page, name="detail"),
    path("<int:client_id>/edit/", views.client_edit_page, name="edit"),
    path("<int:client_id>/archive/", views.client_archive_page, name="archive"),
    path("<int:client_id>/unarchive/", views.client_unarchive_page, name="unarchive"),
]

_api = [
    path("", api.ClientListCreateApi.as_view(), name="clients"),
    path("<int:client_id>/", api.ClientDetailApi.as_view(), name="client"),
]

staff_patterns = [path("clients/", include((_pages, "clients")))]
api_patterns = [path("clients/", include((_api, "clients-api")))]
