"""`/api/v1/conversations/`: secure messages for the practice's staff, with the same
participation rules as the pages (owners, the assigned clinician, admins only when the practice
allows). A conversation the caller does not take part in is a 404, like one that does not exist.

Session or staff token (`Authorization: Bearer ppt_…`) authentication. Sending:
`POST /api/v1/conversations/<client_id>/messages/` with `{"body": "…"}` → 201 and the message.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.web.origin import request_origin
from shared_apps.web.pagination import PageOutput, StaffApiPagination
from tenant_apps.access.api import PracticeStaffApiView, api_staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.models import MESSAGE_MAX_LENGTH, Message
from tenant_apps.messaging.selectors import (
    access_message_client,
    conversation_messages,
    conversation_of,
    staff_inbox,
    staff_may_read_messages,
)
from tenant_apps.messaging.services import conversation_mark_read, message_send

_CLIENT_ID = OpenApiParameter("client_id", int, OpenApiParameter.PATH)


class ConversationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    client_id = serializers.IntegerField()
    last_message_id = serializers.IntegerField(allow_null=True)
    last_message_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.IntegerField(help_text="Messages waiting unread for the caller.")
    is_closed = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)


class ConversationPageOutput(PageOutput):
    results = ConversationOutput(many=True)


class MessageOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    client_id = serializers.SerializerMethodField()
    sender_id = serializers.IntegerField()
    sent_by_staff = serializers.BooleanField()
    body = serializers.CharField()
    sent_at = serializers.DateTimeField()

    def get_client_id(self, message: Message) -> int:
        return int(self.context["client_id"])


class MessagePageOutput(PageOutput):
    results = MessageOutput(many=True)


class MessageInput(serializers.Serializer[Any]):
    body = serializers.CharField(
        trim_whitespace=True,
        allow_blank=True,
        help_text=f"At most {MESSAGE_MAX_LENGTH:,} characters.",
    )


class MarkReadInput(serializers.Serializer[Any]):
    up_to = serializers.IntegerField(
        required=False, min_value=1, help_text="Message id; default: the latest message."
    )


class MarkReadOutput(serializers.Serializer[Any]):
    newly_read = serializers.IntegerField()


class ConversationListApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="Page number.")],
        responses=ConversationPageOutput,
        operation_id="conversations_list",
    )
    def get(self, request: Request) -> Response:
        """The caller's conversations: unread first, then latest activity, 25 a page. Admin
        staff get 403 unless the practice lets them read secure messages."""
        viewer = api_staff_user(request)
        if not staff_may_read_messages(viewer):
            raise PermissionDenied("Your role cannot read secure messages at this practice.")
        paginator = StaffApiPagination()
        shown = paginator.page_items(staff_inbox(viewer=viewer), request=request, view=self)
        audit_record(
            action=AuditAction.CONVERSATION_LISTED,
            actor=viewer,
            origin=request_origin(request),
            object_type="conversation",
            detail=paginator.page_counts(),
        )
        return paginator.get_paginated_response(ConversationOutput(shown, many=True).data)


class MessageListCreateApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT_ID, OpenApiParameter("page", int, description="Page number.")],
        responses=MessagePageOutput,
        operation_id="conversation_messages_list",
    )
    def get(self, request: Request, client_id: int) -> Response:
        """The client's messages, newest first, 25 a page (audited as viewed; not marked read:
        use `read/`)."""
        viewer = api_staff_user(request)
        client = access_message_client(viewer=viewer, client_id=client_id)
        conversation = conversation_of(client)
        messages = conversation_messages(conversation)
        paginator = StaffApiPagination()
        shown = paginator.page_items(messages, request=request, view=self)
        audit_record(
            action=AuditAction.CONVERSATION_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
            detail={"conversation": conversation.pk if conversation else None, "shown": len(shown)},
        )
        return paginator.get_paginated_response(
            MessageOutput(shown, many=True, context={"client_id": client.pk}).data
        )

    @extend_schema(
        parameters=[_CLIENT_ID],
        request=MessageInput,
        responses={201: MessageOutput},
        operation_id="conversation_messages_create",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Send a message to the client (see `message_send`: the client's unread email is
        queued after the practice's delay). 400 for an empty or too long body, a closed
        conversation, or messaging turned off for the client."""
        viewer = api_staff_user(request)
        client = access_message_client(viewer=viewer, client_id=client_id)
        payload = MessageInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            message = message_send(
                actor=viewer,
                client=client,
                body=payload.validated_data["body"],
                origin=request_origin(request),
            )
        except MessagingError as error:
            raise ValidationError({error.field or "detail": [error.message]}) from error
        return Response(
            MessageOutput(message, context={"client_id": client.pk}).data,
            status=status.HTTP_201_CREATED,
        )


class ConversationReadApi(PracticeStaffApiView):
    @extend_schema(
        parameters=[_CLIENT_ID],
        request=MarkReadInput,
        responses=MarkReadOutput,
        operation_id="conversation_mark_read",
    )
    def post(self, request: Request, client_id: int) -> Response:
        """Mark the conversation read for the caller (up to `up_to`, default everything); the
        caller's pending unread emails for those messages are cancelled."""
        viewer = api_staff_user(request)
        client = access_message_client(viewer=viewer, client_id=client_id)
        payload = MarkReadInput(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = conversation_of(client)
        newly_read = (
            conversation_mark_read(
                actor=viewer, conversation=conversation, up_to=payload.validated_data.get("up_to")
            )
            if conversation is not None
            else 0
        )
        return Response(MarkReadOutput({"newly_read": newly_read}).data)
