"""The platform API (`/api/platform/`, platform host only): what the console does, for
automation. Operator token auth (shared_apps/operators/api_auth.py); metadata and counts only.

Each view has its own input and output serializers. Refusals from provisioning come back as 400
with a sentence: `{"subdomain": ["…"]}` for a subdomain that cannot be used, `{"detail": "…"}`
for anything else.
"""

from __future__ import annotations

import secrets
import uuid
import zoneinfo
from dataclasses import dataclass, fields
from typing import Any

from django.contrib.auth.hashers import make_password
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from provisioning.services import (
    Owner,
    ProvisioningError,
    practice_change_subdomain,
    practice_claim,
    practice_resume,
    practice_suspend,
)
from shared_apps.accounts.fields import EmailSerializerField
from shared_apps.accounts.models import User
from shared_apps.console.access import operator_actor
from shared_apps.console.forms import STATUS_FILTER_CHOICES
from shared_apps.console.selectors import (
    PAGE_SIZE,
    PracticeDetail,
    PracticeOverview,
    practice_detail,
    practice_overviews,
    practice_search,
)
from shared_apps.operators.api_auth import PlatformApiView
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.subdomains import MAX_LENGTH, SubdomainError


class ProvisioningRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request cannot be carried out."
    default_code = "provisioning_refused"


class PracticePagination(PageNumberPagination):
    page_size = PAGE_SIZE


# --- Serializers ---------------------------------------------------------------------------------


class PracticeOutput(serializers.Serializer[Any]):
    """One practice: metadata and counts (a PracticeOverview)."""

    uuid = serializers.UUIDField(source="practice.uuid")
    name = serializers.CharField(source="practice.name")
    status = serializers.CharField(source="practice.status")
    time_zone = serializers.CharField(source="practice.time_zone")
    created_at = serializers.DateTimeField(source="practice.created_at")
    host = serializers.CharField(allow_null=True)
    portal_url = serializers.CharField(allow_null=True)
    client_count = serializers.IntegerField(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    storage_bytes = serializers.IntegerField(allow_null=True)


class PracticeListFilter(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False, default="")
    search = serializers.CharField(required=False, default="", max_length=100, allow_blank=True)


class PracticeCreateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    subdomain = serializers.CharField(max_length=MAX_LENGTH)
    owner_email = EmailSerializerField()
    owner_first_name = serializers.CharField(max_length=150, required=False, default="")
    owner_last_name = serializers.CharField(max_length=150, required=False, default="")
    time_zone = serializers.CharField(max_length=64, required=False, default="UTC")

    def validate_time_zone(self, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError("Use a time zone name such as Europe/London.")
        return value


@dataclass(frozen=True)
class ProvisionedPractice(PracticeOverview):
    owner_email: str
    owner_password: str


class PracticeCreatedOutput(PracticeOutput):
    owner_email = EmailSerializerField()
    owner_password = serializers.CharField(
        help_text="The owner's one-time password: shown only in this response."
    )


class DomainOutput(serializers.Serializer[Any]):
    domain = serializers.CharField()
    is_primary = serializers.BooleanField()
    retired_at = serializers.DateTimeField(allow_null=True)


class PracticeEventOutput(serializers.Serializer[Any]):
    kind = serializers.CharField()
    actor = serializers.CharField()
    detail = serializers.DictField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class PracticeDetailOutput(serializers.Serializer[PracticeDetail]):
    practice = PracticeOutput(source="overview")
    domains = DomainOutput(many=True)
    history = PracticeEventOutput(many=True)
    pending_migrations = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Migrations the practice's schema still lacks; null if it has no schema.",
    )


class SubdomainChangeInput(serializers.Serializer[Any]):
    subdomain = serializers.CharField(max_length=MAX_LENGTH)


# --- Helpers -------------------------------------------------------------------------------------


def _operator(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - PlatformApiView's permission guarantees it
    return user


def _practice(practice_uuid: uuid.UUID) -> Practice:
    practice = Practice.objects.filter(uuid=practice_uuid).first()
    if practice is None:
        raise NotFound("No practice with that id.")
    return practice


def _overview(practice: Practice) -> dict[str, Any]:
    (overview,) = practice_overviews([practice])
    return PracticeOutput(overview).data


def _refusal(error: SubdomainError | ProvisioningError) -> APIException:
    if isinstance(error, SubdomainError):
        return ValidationError({"subdomain": [str(error)]})
    return ProvisioningRefused(str(error))


# --- Views ---------------------------------------------------------------------------------------


class PracticeListCreateApi(PlatformApiView):
    pagination_class = PracticePagination

    @extend_schema(parameters=[PracticeListFilter], responses=PracticeOutput(many=True))
    def get(self, request: Request) -> Response:
        """Practices, newest first, 25 a page; `?status=` (default: all but pooled) and
        `?search=` (name or subdomain)."""
        filters = PracticeListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        practices = practice_search(
            query=filters.validated_data["search"], status=filters.validated_data["status"]
        )
        paginator = PracticePagination()
        page = paginator.paginate_queryset(practices, request, view=self) or []
        return paginator.get_paginated_response(
            PracticeOutput(practice_overviews(page), many=True).data
        )

    @extend_schema(request=PracticeCreateInput, responses={201: PracticeCreatedOutput})
    def post(self, request: Request) -> Response:
        """Provision a practice (the same service as sign-up). The owner's one-time password is
        in this response only."""
        data = PracticeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        password = secrets.token_urlsafe(12)
        owner = Owner(
            email=data.validated_data["owner_email"],
            password_hash=make_password(password),
            first_name=data.validated_data["owner_first_name"],
            last_name=data.validated_data["owner_last_name"],
        )
        try:
            practice = practice_claim(
                name=data.validated_data["name"],
                subdomain=data.validated_data["subdomain"],
                owner=owner,
                time_zone=data.validated_data["time_zone"],
                actor=operator_actor(_operator(request)),
            )
        except (SubdomainError, ProvisioningError) as error:
            raise _refusal(error) from error
        (overview,) = practice_overviews([practice])
        provisioned = ProvisionedPractice(
            **{field.name: getattr(overview, field.name) for field in fields(overview)},
            owner_email=owner.email,
            owner_password=password,
        )
        return Response(PracticeCreatedOutput(provisioned).data, status=status.HTTP_201_CREATED)


class PracticeDetailApi(PlatformApiView):
    @extend_schema(responses=PracticeDetailOutput)
    def get(self, request: Request, practice_uuid: uuid.UUID) -> Response:
        """One practice: overview, domains (retired ones too), status history, migration state."""
        return Response(PracticeDetailOutput(practice_detail(_practice(practice_uuid))).data)


class PracticeSuspendApi(PlatformApiView):
    @extend_schema(request=None, responses=PracticeOutput)
    def post(self, request: Request, practice_uuid: uuid.UUID) -> Response:
        """Suspend: the portal shows a neutral "unavailable" page; nothing is deleted.
        Idempotent."""
        try:
            practice = practice_suspend(
                practice=_practice(practice_uuid), actor=operator_actor(_operator(request))
            )
        except ProvisioningError as error:
            raise _refusal(error) from error
        return Response(_overview(practice))


class PracticeResumeApi(PlatformApiView):
    @extend_schema(request=None, responses=PracticeOutput)
    def post(self, request: Request, practice_uuid: uuid.UUID) -> Response:
        """Resume a suspended practice. Idempotent."""
        try:
            practice = practice_resume(
                practice=_practice(practice_uuid), actor=operator_actor(_operator(request))
            )
        except ProvisioningError as error:
            raise _refusal(error) from error
        return Response(_overview(practice))


class PracticeSubdomainChangeApi(PlatformApiView):
    @extend_schema(request=SubdomainChangeInput, responses=PracticeOutput)
    def post(self, request: Request, practice_uuid: uuid.UUID) -> Response:
        """Move the portal to a new subdomain; the old one redirects (301) for 90 days."""
        data = SubdomainChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            practice = practice_change_subdomain(
                practice=_practice(practice_uuid),
                subdomain=data.validated_data["subdomain"],
                actor=operator_actor(_operator(request)),
            )
        except (SubdomainError, ProvisioningError) as error:
            raise _refusal(error) from error
        return Response(_overview(practice))
