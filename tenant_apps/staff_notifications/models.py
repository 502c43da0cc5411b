"""In-app notifications for staff. A minimal start: the notification centre comes later."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from tenant_apps.clients.models import Client


class StaffNotificationKind(models.TextChoices):
    ONBOARDING_COMPLETED = "onboarding_completed", "Onboarding complete"


class StaffNotification(models.Model):
    """Something one staff member should see on their home page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notifications"
    )
    kind = models.CharField(max_length=32, choices=StaffNotificationKind.choices)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"StaffNotification #{self.pk} ({self.kind})"
