"""Outbound emails: written in the transaction of the change that causes them, sent by the relay.

A row holds everything needed to send it, rendered when it was queued, and never PHI: the body may
name the recipient (their own first name) and the practice and link to the portal, nothing more.
`client` says which client the email concerns (for that client's delivery log), if any.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone


class OutboundEmailState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"
    CANCELLED = "cancelled", "Cancelled"


class OutboundEmail(models.Model):
    kind = models.SlugField(max_length=64, help_text="What the email is for, e.g. `invitation`.")
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    send_after = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=16, choices=OutboundEmailState.choices, default=OutboundEmailState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Delivery attempts started; counted (and committed) before each send.",
    )
    attempt_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set while an attempt is under way; still set afterwards means it was cut off "
        "(the relay's process died mid-send).",
    )
    last_error = models.CharField(
        max_length=200, blank=True, help_text="Exception class and SMTP code; never an address."
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
        help_text="The client this email is about (to them, or to staff about them), if any.",
    )

    class Meta:
        indexes: ClassVar = [
            # The relay's query: queued rows whose time has come, oldest first.
            models.Index(fields=["state", "send_after"], name="outbound_email_due_idx"),
            # A client's delivery log, newest first.
            models.Index(fields=["client", "-created_at"], name="outbound_email_client_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="outbound_email_sent_at_iff_sent",
                condition=models.Q(state=OutboundEmailState.SENT, sent_at__isnull=False)
                | (~models.Q(state=OutboundEmailState.SENT) & models.Q(sent_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        # Never the address or subject: this string ends up in logs.
        return f"OutboundEmail {self.pk} ({self.kind}, {self.state})"
