"""Client pages for forms, included at the portal root: portal > Documents & forms."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms import portal_views

app_name = "portal-forms"
urlpatterns = [
    path("documents/", portal_views.documents_page, name="documents"),
    path("documents/forms/<int:share_id>/", portal_views.fill_page, name="fill"),
    path("documents/forms/<int:share_id>/draft/", portal_views.draft_save, name="draft"),
    path("documents/forms/<int:share_id>/pdf/", portal_views.pdf_download, name="pdf"),
]
