"""`/api/v1/clients/`: the practice's clients for its staff, with the same role rules and audit
as the pages. A client the caller may not see is a 404, like one that does not exist."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.fields import EmailSerializerField
from shared_apps.accounts.models import StaffRole, User
from shared_apps.web.origin import request_origin
from shared_apps.web.pagination import PageOutput, StaffApiPagination
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import PortalStatus
from tenant_apps.clients.selectors import access_client, client_list, clinicians_assignable
from tenant_apps.clients.services import (
    ClientData,
    client_create,
    client_update,
)


class ClientOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    preferred_name = serializers.CharField()
    pronouns = serializers.CharField()
    email = EmailSerializerField(allow_null=True)
    phone = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    clinician_id = serializers.IntegerField(allow_null=True)
    portal_status = serializers.ChoiceField(choices=PortalStatus.choices)
    is_archived = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ClientPageOutput(PageOutput):
    """One page of clients."""

    results = ClientOutput(many=True)


class ClientListFilter(serializers.Serializer[Any]):
    search = serializers.CharField(required=False, default="", max_length=100, allow_blank=True)
    portal_status = serializers.ChoiceField(
        choices=PortalStatus.choices, required=False, allow_null=True, default=None
    )
    include_archived = serializers.BooleanField(required=False, default=False)


class ClientInput(serializers.Serializer[Any]):
    """A client's details; on PATCH every field is optional. `clinician_id` is ignored for a
    clinician caller, whose clients are always their own."""

    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    preferred_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    pronouns = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = EmailSerializerField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    clinician_id = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True, source="clinician"
    )
    is_archived = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician_id"].queryset = clinicians_assignable()  # type: ignore[attr-defined]


def _refused(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"detail": error.messages})


def _data(values: dict[str, Any], *, viewer: User, base: ClientData) -> ClientData:
    values = {name: value for name, value in values.items() if name != "is_archived"}
    data = replace(base, **values)
    if viewer.role == StaffRole.CLINICIAN:
        data = replace(data, clinician=base.clinician or viewer)
    return data


class ClientListCreateApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[ClientListFilter, OpenApiParameter("page", int, description="Page number.")],
        responses=ClientPageOutput,
        operation_id="clients_list",
    )
    def get(self, request: Request) -> Response:
        """The clients the caller may see, by name, 25 a page."""
        filters = ClientListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = StaffApiPagination()
        viewer = api_staff_user(request)
        shown = paginator.page_items(
            client_list(viewer=viewer, **filters.validated_data), request=request, view=self
        )
        audit_record(
            action=AuditAction.CLIENT_LISTED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            detail=paginator.page_counts(),
        )
        return paginator.get_paginated_response(ClientOutput(shown, many=True).data)

    @extend_schema(
        request=ClientInput, responses={201: ClientOutput}, operation_id="clients_create"
    )
    def post(self, request: Request) -> Response:
        """Add a client (a clinician's new client is assigned to them)."""
        viewer = api_staff_user(request)
        payload = ClientInput(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        base = ClientData(first_name=values["first_name"], last_name=values["last_name"])
        try:
            client = client_create(
                actor=viewer,
                origin=request_origin(request),
                data=_data(values, viewer=viewer, base=base),
            )
        except DjangoValidationError as error:
            raise _refused(error) from error
        return Response(ClientOutput(client).data, status=status.HTTP_201_CREATED)


class ClientDetailApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[OpenApiParameter("client_id", int, OpenApiParameter.PATH)],
        responses=ClientOutput,
        operation_id="clients_retrieve",
    )
    def get(self, request: Request, client_id: int) -> Response:
        """One client (audited as viewed); 404 when missing or not the caller's."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        audit_record(
            action=AuditAction.CLIENT_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
        )
        return Response(ClientOutput(client).data)

    @extend_schema(
        parameters=[OpenApiParameter("client_id", int, OpenApiParameter.PATH)],
        request=ClientInput(partial=True),
        responses=ClientOutput,
        operation_id="clients_partial_update",
    )
    def patch(self, request: Request, client_id: int) -> Response:
        """Change some details; `is_archived` archives or restores the client."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        payload = ClientInput(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            client = client_update(
                actor=viewer,
                origin=request_origin(request),
                client=client,
                data=_data(values, viewer=viewer, base=ClientData.of(client)),
                is_archived=values.get("is_archived"),
            )
        except DjangoValidationError as error:
            raise _refused(error) from error
        return Response(ClientOutput(client).data)
