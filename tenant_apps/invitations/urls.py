"""Staff pages for portal access, included at `/staff/clients/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.invitations import views

app_name = "invitations"
urlpatterns = [
    path("import/invite/", views.bulk_invite_page, name="bulk-invite"),
    path("<int:client_id>/setup/", views.setup_details_page, name="setup-details"),
    path("<int:client_id>/setup/access/", views.setup_access_page, name="setup-access"),
    path("<int:client_id>/portal/", views.portal_tab_page, name="portal"),
    path("<int:client_id>/portal/invite/", views.invite_page, name="invite"),
    path("<int:client_id>/portal/resend/", views.resend_page, name="resend"),
    path("<int:client_id>/portal/revoke/", views.revoke_page, name="revoke"),
]
