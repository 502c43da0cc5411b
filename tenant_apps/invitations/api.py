"""`/api/v1/clients/<id>/invitation/…`: send, resend and revoke a client's portal invitation, with
the same role rules and audit as the pages. A client the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin, request_origin
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.clients.selectors import access_client
from tenant_apps.invitations.errors import InvitationError
from tenant_apps.invitations.selectors import invitation_latest
from tenant_apps.invitations.services import (
    invitation_resend,
    invitation_send,
    portal_access_revoke,
)


class InvitationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(source="status_label")
    sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class PortalStatusOutput(serializers.Serializer[Any]):
    client_id = serializers.IntegerField()
    portal_status = serializers.ChoiceField(choices=PortalStatus.choices)
    invitation = InvitationOutput(allow_null=True)


class EmptyInput(serializers.Serializer[Any]):
    """These actions take no fields."""


def _output(client: Client) -> dict[str, Any]:
    latest = invitation_latest(client)
    return dict(
        PortalStatusOutput(
            {"client_id": client.pk, "portal_status": client.portal_status, "invitation": latest}
        ).data
    )


_CLIENT_ID = OpenApiParameter("client_id", int, OpenApiParameter.PATH)


class _InvitationActionApi(PracticeStaffApiView):
    success_status: int = status.HTTP_200_OK

    def act(self, *, viewer: User, origin: RequestOrigin, client: Client) -> None:
        raise NotImplementedError

    def post(self, request: Request, client_id: int) -> Response:
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        try:
            self.act(viewer=viewer, origin=request_origin(request), client=client)
        except InvitationError as error:
            raise ValidationError({"detail": error.message}) from error
        client.refresh_from_db()
        return Response(_output(client), status=self.success_status)


class InvitationSendApi(_InvitationActionApi):
    success_status = status.HTTP_201_CREATED

    @extend_schema(
        parameters=[_CLIENT_ID],
        request=EmptyInput,
        responses={201: PortalStatusOutput},
        operation_id="clients_invitation_send",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Invite the client (or grant access again after a revoke)."""
        return super().post(request, client_id)

    def act(self, *, viewer: User, origin: RequestOrigin, client: Client) -> None:
        invitation_send(actor=viewer, origin=origin, client=client)


class InvitationResendApi(_InvitationActionApi):
    @extend_schema(
        parameters=[_CLIENT_ID],
        request=EmptyInput,
        responses=PortalStatusOutput,
        operation_id="clients_invitation_resend",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Send a new link; the previous one stops working."""
        return super().post(request, client_id)

    def act(self, *, viewer: User, origin: RequestOrigin, client: Client) -> None:
        invitation_resend(actor=viewer, origin=origin, client=client)


class InvitationRevokeApi(_InvitationActionApi):
    @extend_schema(
        parameters=[_CLIENT_ID],
        request=EmptyInput,
        responses=PortalStatusOutput,
        operation_id="clients_invitation_revoke",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Revoke portal access: the client's account is disabled and signed out everywhere."""
        return super().post(request, client_id)

    def act(self, *, viewer: User, origin: RequestOrigin, client: Client) -> None:
        portal_access_revoke(actor=viewer, origin=origin, client=client)
