"""`/api/v1/submissions/`: submitted forms for the staff who may read answers (owners, and a
clinician for their own clients), with the same rules and audit as the pages. Admin staff, by
session or token, get 403; a submission the caller may not read is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.web.origin import request_origin
from shared_apps.web.pagination import PageOutput, StaffApiPagination
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.forms.models import FormSubmission
from tenant_apps.forms.submissions.downloads import submission_pdf_response
from tenant_apps.forms.submissions.selectors import (
    SUBMISSION_READERS,
    access_submission,
    submission_list,
    submission_signature,
)


class SubmissionSummaryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    client_id = serializers.IntegerField(source="share.client_id")
    form_id = serializers.IntegerField(source="share.form_id")
    form_title = serializers.CharField(source="share.form.title")
    version_id = serializers.IntegerField()
    version_number = serializers.IntegerField(source="version.number")
    submitted_at = serializers.DateTimeField()
    score = serializers.IntegerField(allow_null=True)
    severity = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())


class SubmissionPageOutput(PageOutput):
    results = SubmissionSummaryOutput(many=True)


class SignatureOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    signer_id = serializers.IntegerField()
    typed_name = serializers.CharField()
    has_drawn_signature = serializers.SerializerMethodField()
    signed_at = serializers.DateTimeField()
    ip_address = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    version_id = serializers.IntegerField()
    answers_sha256 = serializers.CharField()

    def get_has_drawn_signature(self, evidence: Any) -> bool:
        return bool(evidence.drawn_signature)


class SubmissionOutput(SubmissionSummaryOutput):
    """One submission with the questions of the version the client saw and the answers."""

    questions = serializers.JSONField(source="version.fields")
    answers = serializers.JSONField()
    signature = serializers.SerializerMethodField()

    @extend_schema_field(SignatureOutput(allow_null=True))
    def get_signature(self, submission: FormSubmission) -> dict[str, Any] | None:
        evidence = submission_signature(submission)
        return dict(SignatureOutput(evidence).data) if evidence is not None else None


class SubmissionListFilter(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class PdfRenderer(BaseRenderer):
    """Lets a caller ask for `Accept: application/pdf`; errors still render as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class _SubmissionApi(PracticeStaffApiView):
    """Owners and clinicians only: answers are clinical content."""

    staff_roles = SUBMISSION_READERS


class SubmissionListApi(_SubmissionApi):
    @extend_schema(
        parameters=[
            SubmissionListFilter,
            OpenApiParameter("page", int, description="Page number."),
        ],
        responses=SubmissionPageOutput,
        operation_id="submissions_list",
    )
    def get(self, request: Request) -> Response:
        """Submitted forms the caller may read, newest first, 25 a page (no answers here)."""
        filters = SubmissionListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = StaffApiPagination()
        viewer = api_staff_user(request)
        shown = paginator.page_items(
            submission_list(viewer=viewer, client_id=filters.validated_data["client_id"]),
            request=request,
            view=self,
        )
        audit_record(
            action=AuditAction.FORM_LISTED,
            actor=viewer,
            origin=request_origin(request),
            object_type="form_submission",
            detail=paginator.page_counts(),
        )
        return paginator.get_paginated_response(SubmissionSummaryOutput(shown, many=True).data)


class SubmissionDetailApi(_SubmissionApi):
    @extend_schema(
        parameters=[OpenApiParameter("submission_id", int, OpenApiParameter.PATH)],
        responses=SubmissionOutput,
        operation_id="submissions_retrieve",
    )
    def get(self, request: Request, submission_id: int) -> Response:
        """One submission with its version's fields, the answers and the signature evidence;
        audited `form.viewed`."""
        viewer = api_staff_user(request)
        submission = access_submission(viewer=viewer, submission_id=submission_id)
        audit_record(
            action=AuditAction.FORM_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="form_submission",
            object_id=submission.pk,
            detail={"form_id": submission.share.form_id, "version_id": submission.version_id},
        )
        return Response(SubmissionOutput(submission).data)


class SubmissionPdfApi(_SubmissionApi):
    renderer_classes = (JSONRenderer, PdfRenderer)

    @extend_schema(
        parameters=[OpenApiParameter("submission_id", int, OpenApiParameter.PATH)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        operation_id="submissions_pdf",
    )
    def get(self, request: Request, submission_id: int) -> HttpResponse:
        """The completed form as a PDF attachment; audited `form.downloaded`."""
        viewer = api_staff_user(request)
        submission = access_submission(viewer=viewer, submission_id=submission_id)
        return submission_pdf_response(
            actor=viewer, origin=request_origin(request), submission=submission, by="api"
        )
