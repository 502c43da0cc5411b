"""Staff pages for client submissions, included at `/staff/clients/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms.submissions import views

app_name = "submissions"
urlpatterns = [
    path("<int:client_id>/forms/", views.client_forms_page, name="client-forms"),
    path(
        "<int:client_id>/forms/<int:submission_id>/",
        views.submission_detail_page,
        name="detail",
    ),
    path(
        "<int:client_id>/forms/<int:submission_id>/pdf/",
        views.submission_pdf_download,
        name="pdf",
    ),
    path(
        "<int:client_id>/forms/<int:submission_id>/signature/",
        views.signature_page,
        name="signature",
    ),
    path(
        "<int:client_id>/forms/<int:submission_id>/signature/pdf/",
        views.signature_pdf_download,
        name="signature-pdf",
    ),
    path(
        "<int:client_id>/forms/<int:submission_id>/signature/verify/",
        views.signature_verify_action,
        name="verify",
    ),
]
