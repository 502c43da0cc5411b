"""`/api/v1/clients/<id>/documents/`: documents shared with a client and the client's uploads,
for staff, with the same role rules and audit as the pages.

Sharing is two calls around a direct upload: POST the file's name → an upload slot (presigned
POST, 10 minutes) → post the file to S3 → POST `confirm` (verification; the client is emailed).
Download endpoints answer a 5-minute presigned GET after the audit row is written.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.models import User
from shared_apps.web.origin import request_origin
from storage.presign import DOWNLOAD_LINK_SECONDS
from storage.slots import FILENAME_MAX
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.selectors import access_client
from tenant_apps.documents.errors import DocumentRefused
from tenant_apps.documents.links import FileKind, download_link_path
from tenant_apps.documents.models import FileState, ScanState
from tenant_apps.documents.selectors import (
    access_client_upload,
    access_shared_document,
    can_see_client_uploads,
    client_uploads_of,
    shared_documents_of,
)
from tenant_apps.documents.services import (
    MESSAGE_MAX,
    shared_document_confirm,
    shared_document_slot_create,
    shared_document_unshare,
)

_CLIENT = OpenApiParameter("client_id", int, OpenApiParameter.PATH)
_DOCUMENT = OpenApiParameter("document_id", int, OpenApiParameter.PATH)
_UPLOAD = OpenApiParameter("upload_id", int, OpenApiParameter.PATH)


class SharedDocumentOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    original_filename = serializers.CharField()
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    state = serializers.ChoiceField(choices=FileState.choices)
    shared_by_id = serializers.IntegerField(allow_null=True)
    shared_at = serializers.DateTimeField(allow_null=True)
    unshared_at = serializers.DateTimeField(allow_null=True)


class ClientUploadOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    original_filename = serializers.CharField()
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField(allow_null=True)
    scan_state = serializers.ChoiceField(choices=ScanState.choices)
    ready_at = serializers.DateTimeField(allow_null=True)


class DocumentListOutput(serializers.Serializer[Any]):
    """`uploads` is null for a caller who may not see the client's uploads (admin staff)."""

    shared = SharedDocumentOutput(many=True)
    uploads = ClientUploadOutput(many=True, allow_null=True)


class UploadFormOutput(serializers.Serializer[Any]):
    """The presigned POST: `url`, the form `fields` to send before the file, `expires_at`."""

    url = serializers.URLField()
    expires_at = serializers.DateTimeField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `fields` is also the name of the serializer's own attribute: declared here instead.
        declared = super().get_fields()
        declared["fields"] = serializers.DictField(child=serializers.CharField())
        return declared


class UploadSlotOutput(serializers.Serializer[Any]):
    document = SharedDocumentOutput()
    upload = UploadFormOutput()


class UploadSlotInput(serializers.Serializer[Any]):
    filename = serializers.CharField(max_length=FILENAME_MAX)
    size = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    message = serializers.CharField(
        max_length=MESSAGE_MAX, required=False, allow_blank=True, default=""
    )


class DownloadLinkOutput(serializers.Serializer[Any]):
    url = serializers.URLField()
    expires_in = serializers.IntegerField()


def _download_link(
    request: Request, kind: FileKind, client_id: int, file_id: int, viewer: User
) -> Response:
    path = download_link_path(kind=kind, client_id=client_id, file_id=file_id, staff_id=viewer.pk)
    output = {"url": request.build_absolute_uri(path), "expires_in": DOWNLOAD_LINK_SECONDS}
    return Response(DownloadLinkOutput(output).data)


def _refused(refusal: DocumentRefused) -> ValidationError:
    return ValidationError({"detail": [refusal.message]})


class DocumentListCreateApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT], responses=DocumentListOutput, operation_id="documents_list"
    )
    def get(self, request: Request, client_id: int) -> Response:
        """Documents shared with the client and (owners, the client's clinician) its uploads."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        shared = list(shared_documents_of(client=client))
        uploads = (
            list(client_uploads_of(client=client))
            if can_see_client_uploads(viewer=viewer, client=client)
            else None
        )
        audit_record(
            action=AuditAction.DOCUMENTS_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
            detail={"shared": len(shared), "uploads": len(uploads or [])},
        )
        return Response(DocumentListOutput({"shared": shared, "uploads": uploads}).data)

    @extend_schema(
        parameters=[_CLIENT],
        request=UploadSlotInput,
        responses={201: UploadSlotOutput},
        operation_id="documents_upload_slot_create",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Open an upload slot: post the file to `upload.url` with `upload.fields`, then call
        confirm within 10 minutes."""
        viewer = api_staff_user(request)
        client = access_client(viewer=viewer, client_id=client_id)
        payload = UploadSlotInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            document, form = shared_document_slot_create(
                actor=viewer,
                client=client,
                **payload.validated_data,
            )
        except DocumentRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(
            UploadSlotOutput({"document": document, "upload": form.as_json()}).data,
            status=status.HTTP_201_CREATED,
        )


class DocumentConfirmApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT, _DOCUMENT],
        request=None,
        responses=SharedDocumentOutput,
        operation_id="documents_confirm",
    )
    def post(self, request: Request, client_id: int, document_id: int) -> Response:
        """Verify the uploaded file and share it (the client is emailed); 400 with the reason
        when it is rejected (the file is then deleted)."""
        viewer = api_staff_user(request)
        document = access_shared_document(
            viewer=viewer, client_id=client_id, document_id=document_id
        )
        try:
            document = shared_document_confirm(
                actor=viewer, document=document, origin=request_origin(request)
            )
        except DocumentRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(SharedDocumentOutput(document).data)


class DocumentDetailApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT, _DOCUMENT],
        responses={204: None},
        operation_id="documents_unshare",
    )
    def delete(self, request: Request, client_id: int, document_id: int) -> Response:
        """Un-share: the client no longer sees the document; its file is deleted."""
        viewer = api_staff_user(request)
        document = access_shared_document(
            viewer=viewer, client_id=client_id, document_id=document_id
        )
        try:
            shared_document_unshare(actor=viewer, document=document, origin=request_origin(request))
        except DocumentRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentDownloadApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT, _DOCUMENT],
        responses=DownloadLinkOutput,
        operation_id="documents_download_link",
    )
    def get(self, request: Request, client_id: int, document_id: int) -> Response:
        """A 5-minute link to the file; following it is audited as a download (`links.py`)."""
        viewer = api_staff_user(request)
        document = access_shared_document(
            viewer=viewer, client_id=client_id, document_id=document_id
        )
        if not document.is_shared:
            raise _refused(DocumentRefused("This document is no longer shared."))
        return _download_link(request, "shared", client_id, document.pk, viewer)


class UploadDownloadApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT, _UPLOAD],
        responses=DownloadLinkOutput,
        operation_id="documents_upload_download_link",
    )
    def get(self, request: Request, client_id: int, upload_id: int) -> Response:
        """A 5-minute link to one of the client's uploads; following it is audited."""
        viewer = api_staff_user(request)
        upload = access_client_upload(viewer=viewer, client_id=client_id, upload_id=upload_id)
        return _download_link(request, "upload", client_id, upload.pk, viewer)
