"""The invitations API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.invitations import api

app_name = "invitations-api"
urlpatterns = [
    path(
        "clients/<int:client_id>/invitation/send/",
        api.InvitationSendApi.as_view(),
        name="send",
    ),
    path(
        "clients/<int:client_id>/invitation/resend/",
        api.InvitationResendApi.as_view(),
        name="resend",
    ),
    path(
        "clients/<int:client_id>/invitation/revoke/",
        api.InvitationRevokeApi.as_view(),
        name="revoke",
    ),
]
