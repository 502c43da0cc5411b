"""Routes of the invitations app (a client's portal access), mounted by config/urls_tenant.py:
staff pages under `/staff/clients/` (namespace `invitations`), the API under `/api/v1/clients/`
(`invitations-api`). The client's side of an invitation (link, welcome) is the portal's."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.invitations import api, views

_pages = [
    path("import/invite/", views.bulk_invite_page, name="bulk-invite"),
    path("<int:client_id>/portal/invite/", views.invite_page, name="invite"),
    path("<int:client_id>/portal/resend/", views.resend_page, name="resend"),
    path("<int:client_id>/portal/revoke/", views.revoke_page, name="revoke"),
]

_api = [
    path("send/", api.InvitationSendApi.as_view(), name="send"),
    path("resend/", api.InvitationResendApi.as_view(), name="resend"),
    path("revoke/", api.InvitationRevokeApi.as_view(), name="revoke"),
]

staff_patterns = [path("clients/", include((_pages, "invitations")))]
api_patterns = [
    path("clients/<int:client_id>/invitation/", include((_api, "invitations-api"))),
]
