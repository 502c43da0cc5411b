"""In-app notifications for staff: the notification centre (bell, list, mark read) and the source
of the daily digest. Never PHI in a row: a kind, the client it is about, a link in the portal."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from tenant_apps.clients.models import Client


class StaffNotificationKind(models.TextChoices):
    ONBOARDING_COMPLETED = "onboarding_completed", "Onboarding complete"
    FORM_COMPLETED = "form_completed", "Form completed"
    FORM_SIGNED = "form_signed", "Form signed"
    CLIENT_UPLOAD = "client_upload", "Client upload"
    NEW_MESSAGE = "new_message", "New message"
    BOOKING_REQUEST = "booking_request", "Booking request"


class StaffNotification(models.Model):
    """Something one staff member should see on their home page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notifications"
    )
    kind = models.CharField(max_length=32, choices=StaffNotificationKind.choices)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.CharField(
        max_length=200, blank=True, help_text="A path in this portal to open, e.g. the submission."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"StaffNotification #{self.pk} ({self.kind})"


class StaffNotificationPreferences(models.Model):
    """A staff member's choices about notifications by email. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_notification_preferences",
    )
    daily_digest_email = models.BooleanField(
        default=True, help_text="Email a summary of the past day at 7:00 (practice time)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"StaffNotificationPreferences of user #{self.pk}"
