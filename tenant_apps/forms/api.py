"""`/api/v1/forms/` (the practice's forms with their versions) and
`/api/v1/clients/<id>/forms/…` (what is shared with a client; share, un-share), with the same role
rules and audit as the pages: any staff member reads forms and shares them with the clients they
can see; a client the caller may not see, or a form of another practice, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.web.origin import request_origin
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.clients.selectors import access_client
from tenant_apps.forms.models import FormKind, FormShare, SubmissionState
from tenant_apps.forms.selectors import access_form, client_form_shares, form_list
from tenant_apps.forms.services import (
    MAX_MESSAGE,
    SharesSaved,
    client_forms_share,
    client_forms_unshare,
)

_CLIENT_ID = OpenApiParameter("client_id", int, OpenApiParameter.PATH)
_FORM_ID = OpenApiParameter("form_id", int, OpenApiParameter.PATH)


# Some output fields are named like attributes of DRF's Field/Serializer (label, help, required,
# fields): DRF's metaclass moves declared fields out of the class body, so the names are safe at
# run time; mypy only sees the class attributes, hence the ignores.


class OptionOutput(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    score = serializers.IntegerField(allow_null=True)


class FieldOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    help = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()  # type: ignore[assignment]
    options = OptionOutput(many=True)
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)


class VersionOutput(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    fields = FieldOutput(many=True)  # type: ignore[assignment]
    scoring = serializers.JSONField(allow_null=True)
    created_at = serializers.DateTimeField()


class FormOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=FormKind.choices)
    description = serializers.CharField(allow_blank=True)
    is_archived = serializers.BooleanField()
    latest_version = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_latest_version(self, form: Any) -> int | None:
        latest = form.latest_version
        return latest.number if latest is not None else None


class FormDetailOutput(FormOutput):
    versions = VersionOutput(many=True, source="version_list")  # by number (`access_form`)


class FormListFilter(serializers.Serializer[Any]):
    include_archived = serializers.BooleanField(required=False, default=False)


class ShareOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    form_id = serializers.IntegerField()
    form_title = serializers.CharField(source="form.title")
    shared_at = serializers.DateTimeField()
    unshared_at = serializers.DateTimeField(allow_null=True)
    requested_in_setup = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True)
    status = serializers.SerializerMethodField()

    def get_status(self, share: FormShare) -> str:
        """`not_started`, `draft` or `submitted`: where the client stands, never the answers."""
        submission = getattr(share, "submission", None)
        if submission is None:
            return "not_started"
        return "submitted" if submission.state == SubmissionState.SUBMITTED else "draft"


class SharesOutput(serializers.Serializer[Any]):
    client_id = serializers.IntegerField()
    shares = ShareOutput(many=True)
    shared = serializers.ListField(child=serializers.IntegerField())
    unshared = serializers.ListField(child=serializers.IntegerField())
    emailed = serializers.BooleanField()


class ShareInput(serializers.Serializer[Any]):
    form_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=100
    )
    message = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=MAX_MESSAGE
    )


class UnshareInput(serializers.Serializer[Any]):
    form_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=100
    )


def _shares_payload(client: Client, saved: SharesSaved | None = None) -> dict[str, Any]:
    return dict(
        SharesOutput(
            {
                "client_id": client.pk,
                "shares": list(client_form_shares(client)),
                "shared": saved.shared if saved else [],
                "unshared": (saved.unshared_kept + saved.removed) if saved else [],
                "emailed": saved.emailed if saved else False,
            }
        ).data
    )


class FormListApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[FormListFilter], responses=FormOutput(many=True), operation_id="forms_list"
    )
    def get(self, request: Request) -> Response:
        """The practice's forms, by title."""
        filters = FormListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        forms = form_list(viewer=api_staff_user(request), **filters.validated_data)
        return Response(FormOutput(forms, many=True).data)


class FormDetailApi(PracticeStaffApiView):
    @extend_schema(parameters=[_FORM_ID], responses=FormDetailOutput, operation_id="forms_retrieve")
    def get(self, request: Request, form_id: int) -> Response:
        """One form with every version's questions, oldest first; 404 when missing."""
        form = access_form(viewer=api_staff_user(request), form_id=form_id)
        return Response(FormDetailOutput(form).data)


class ClientFormsApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT_ID], responses=SharesOutput, operation_id="client_forms_list"
    )
    def get(self, request: Request, client_id: int) -> Response:
        """The forms shared with a client (and un-shared ones the client had started)."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        audit_record(
            action=AuditAction.CLIENT_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
        )
        return Response(_shares_payload(client))


class ClientFormsShareApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT_ID],
        request=ShareInput,
        responses=SharesOutput,
        operation_id="client_forms_share",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Share forms with a client in addition to those already shared; `message` shows only
        in the portal. The client gets one email (no content) if anything was newly shared."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        payload = ShareInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            saved = client_forms_share(
                actor=viewer,
                client=client,
                form_ids=payload.validated_data["form_ids"],
                message=payload.validated_data["message"],
                origin=request_origin(request),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(_shares_payload(client, saved))


class ClientFormsUnshareApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT_ID],
        request=UnshareInput,
        responses=SharesOutput,
        operation_id="client_forms_unshare",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Un-share forms: an unstarted one disappears from the portal, a started or submitted
        one is kept there, marked."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        payload = UnshareInput(data=request.data)
        payload.is_valid(raise_exception=True)
        saved = client_forms_unshare(
            actor=viewer,
            client=client,
            form_ids=payload.validated_data["form_ids"],
            origin=request_origin(request),
        )
        return Response(_shares_payload(client, saved))
