"""Files moving between a practice and its clients (PRODUCT.md §2-3, DESIGN.md §6).

The bytes live in S3 under `practices/<practice uuid>/<area>/<uuid4>`; a row holds the key and
what the person saw (the original filename) next to what we know (the type sniffed from the
content, the size from S3). A row becomes visible only once `state` is READY: until then it is an
upload slot that expires at `upload_expires_at`; a REJECTED row keeps its reason, its object is
deleted, and no list shows it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from tenant_apps.clients.models import Client

SHARED_AREA = "shared-documents"
UPLOAD_AREA = "client-uploads"


class FileState(models.TextChoices):
    PENDING = "pending", "Waiting for the upload"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Rejected"


class ScanState(models.TextChoices):
    NOT_SCANNED = "not_scanned", "Not scanned"
    CLEAN = "clean", "Clean"
    INFECTED = "infected", "Infected"


class StoredFile(models.Model):
    """What every file row has: its object, its name, its checked type and size, its state."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    s3_key = models.CharField(max_length=200, unique=True)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(
        max_length=100, blank=True, help_text="Sniffed from the content after the upload."
    )
    size_bytes = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=FileState.choices, default=FileState.PENDING)
    rejected_reason = models.CharField(max_length=300, blank=True)
    scan_state = models.CharField(
        max_length=16, choices=ScanState.choices, default=ScanState.NOT_SCANNED
    )
    upload_expires_at = models.DateTimeField(help_text="The upload slot cannot be confirmed after.")
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.state == FileState.READY


class SharedDocument(StoredFile):
    """A file staff shared with a client, with an optional message. Un-sharing hides it from the
    client (the row stays for the record; the object is deleted)."""

    message = models.TextField(blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    unshared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-shared_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["client", "state"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="shared_document_shared_when_ready",
                condition=Q(state=FileState.READY, shared_at__isnull=False)
                | ~Q(state=FileState.READY),
            ),
        ]

    def __str__(self) -> str:
        # Never the filename: this string ends up in logs.
        return f"SharedDocument #{self.pk} ({self.state})"

    @property
    def is_shared(self) -> bool:
        return self.is_ready and self.unshared_at is None


class ClientUpload(StoredFile):
    """A file a client uploaded from the portal (My uploads)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-ready_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["client", "state"])]

    def __str__(self) -> str:
        return f"ClientUpload #{self.pk} ({self.state})"
