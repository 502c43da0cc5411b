"""Routes of the forms app, mounted by config/urls_tenant.py.

Staff: the form builder at `/staff/forms/` (namespace `forms`); per client, Portal > Manage
documentation (`forms-documentation`) and the client's submissions (`submissions`) under
`/staff/clients/<id>/`. Client: Documents & forms at `/documents/` (`portal-forms`). API: forms
(`forms-api`) and submissions (`submissions-api`) under `/api/v1/`.
"""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.forms import api, portal_views, views
from tenant_apps.forms.submissions import api as submission_api
from tenant_apps.forms.submissions import views as submission_views

_builder = [
    path("", views.form_list_page, name="list"),
    path("new/", views.form_create_page, name="create"),
    path("<int:form_id>/edit/", views.form_edit_page, name="edit"),
    path("<int:form_id>/archive/", views.form_archive_page, name="archive"),
    path("<int:form_id>/unarchive/", views.form_unarchive_page, name="unarchive"),
]

_documentation = [
    path("portal/documentation/", views.documentation_page, name="documentation"),
]

_submissions = [
    path("forms/", submission_views.client_forms_page, name="client-forms"),
    path("forms/<int:submission_id>/", submission_views.submission_detail_page, name="detail"),
    path("forms/<int:submission_id>/pdf/", submission_views.submission_pdf_download, name="pdf"),
    path("forms/<int:submission_id>/signature/", submission_views.signature_page, name="signature"),
    path(
        "forms/<int:submission_id>/signature/pdf/",
        submission_views.signature_pdf_download,
        name="signature-pdf",
    ),
    path(
        "forms/<int:submission_id>/signature/verify/",
        submission_views.signature_verify_action,
        name="verify",
    ),
]

_portal = [
    path("", portal_views.documents_page, name="documents"),
    path("forms/<int:share_id>/", portal_views.fill_page, name="fill"),
    path("forms/<int:share_id>/draft/", portal_views.draft_save, name="draft"),
    path("forms/<int:share_id>/pdf/", portal_views.pdf_download, name="pdf"),
]

_forms_api = [
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

_submissions_api = [
    path("", submission_api.SubmissionListApi.as_view(), name="submissions"),
    path("<int:submission_id>/", submission_api.SubmissionDetailApi.as_view(), name="submission"),
    path("<int:submission_id>/pdf/", submission_api.SubmissionPdfApi.as_view(), name="pdf"),
]

staff_patterns = [
    path("forms/", include((_builder, "forms"))),
    path("clients/<int:client_id>/", include((_documentation, "forms-documentation"))),
    path("clients/<int:client_id>/", include((_submissions, "submissions"))),
]
portal_patterns = [path("documents/", include((_portal, "portal-forms")))]
api_patterns = [
    path("", include((_forms_api, "forms-api"))),
    path("submissions/", include((_submissions_api, "submissions-api"))),
]
