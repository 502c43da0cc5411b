"""Secure messages: one conversation per client, messages that are never edited, and how far each
participant has read. PHI (message text) lives only here, in the practice's schema.

Unread is one comparison: a participant's `ConversationReadState.last_read_message_id` against
message ids (ids grow with time within a schema). So "unread for this user" is a single indexed
query, and a conversation with anything unread is `last_message_id > last_read_message_id`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from tenant_apps.clients.models import Client

MESSAGE_MAX_LENGTH = 10_000


class Conversation(models.Model):
    """The one conversation of a client with the practice, made with its first message.
    `last_message_*` is kept by `message_send` (the inbox sorts on it without touching messages)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="conversation")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_id = models.BigIntegerField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["-last_message_at", "-id"], name="conversation_activity_idx")
        ]

    def __str__(self) -> str:
        # Never a name: this string ends up in logs.
        return f"Conversation #{self.pk} (client #{self.client_id})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Message(models.Model):
    """One message. Never edited: there is no service that changes one, and a trigger
    (migration 0002) refuses any UPDATE of the table."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whether the sender was staff at the time: the direction of the message, without a join.
    sent_by_staff = models.BooleanField()
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["id"]
        indexes: ClassVar = [models.Index(fields=["conversation", "id"], name="message_thread_idx")]
        constraints: ClassVar = [
            models.CheckConstraint(name="message_body_not_empty", condition=~models.Q(body="")),
            models.CheckConstraint(
                name="message_body_length",
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX_LENGTH),
            ),
        ]

    def __str__(self) -> str:
        # Never the body.
        return f"Message #{self.pk} (conversation #{self.conversation_id})"


class ConversationReadState(models.Model):
    """How far one participant (staff member or the client) has read one conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_states"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "conversation"], name="conversation_read_state_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"ConversationReadState #{self.pk}"


class StaffMessagingPreference(models.Model):
    """A staff member's own messaging choices; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preference"
    )
    emails_unread_messages = models.BooleanField(
        "Email me when a client message stays unread", default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"StaffMessagingPreference of user #{self.user_id}"


ATTACHMENT_AREA = "message-attachments"
ATTACHMENTS_PER_MESSAGE = 5


class AttachmentState(models.TextChoices):
    PENDING = "pending", "Waiting for the upload"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Rejected"


class MessageAttachment(models.Model):
    """A file sent with a message. The bytes live in S3 under
    `practices/<practice uuid>/message-attachments/<uuid4>` (never the filename); the row is an
    upload slot (PENDING, for one conversation and uploader) until `message_send` verifies the
    object (size, type by content, virus scan for a client's file) and ties it to the message."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    s3_key = models.CharField(max_length=200, unique=True)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=16, choices=AttachmentState.choices, default=AttachmentState.PENDING
    )
    rejected_reason = models.CharField(max_length=300, blank=True)
    scan_state = models.CharField(max_length=16, blank=True, help_text="clean or not_scanned.")
    upload_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="message_attachment_sent_when_ready",
                condition=models.Q(message__isnull=True) | models.Q(state=AttachmentState.READY),
            ),
        ]

    def __str__(self) -> str:
        # Never the filename.
        return f"MessageAttachment #{self.pk} ({self.state})"
