"""Forms: what a practice asks its clients to fill or sign. Practice schema only.

A `Form` is edited as a series of immutable `FormVersion`s once clients have answered it: every
`FormSubmission` points at the version the client saw, so an old answer set always renders with
its own questions. A `FormShare` is one form requested of one client; un-sharing keeps the row
(`unshared_at`), so a started or submitted form stays visible, marked.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenant_apps.clients.models import Client


class FormKind(models.TextChoices):
    CUSTOM = "custom", "Custom"
    INTAKE = "intake", "Intake questionnaire"
    CONSENT = "consent", "Informed consent"
    RELEASE_OF_INFORMATION = "release_of_information", "Release of information"
    PHQ9 = "phq9", "PHQ-9"
    GAD7 = "gad7", "GAD-7"
    TREATMENT_PLAN = "treatment_plan", "Treatment plan"


class Form(models.Model):
    """A form the practice can share. `starter_key` marks the seeded starter templates (so seeding
    is idempotent); staff may edit those like any other form.

    `version_list` (not a column) holds every version by number when a selector loaded them
    (`forms.selectors`)."""

    version_list: list[FormVersion]

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=FormKind.choices, default=FormKind.CUSTOM)
    description = models.TextField(blank=True)
    starter_key = models.CharField(max_length=64, blank=True, editable=False)
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["title", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["starter_key"],
                condition=~Q(starter_key=""),
                name="form_starter_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Form #{self.pk}"

    @property
    def latest_version(self) -> FormVersion | None:
        """The newest version (what a client who starts now sees); None only for a form being
        created. No query when the versions were loaded (`version_list`)."""
        loaded: list[FormVersion] | None = getattr(self, "version_list", None)
        if loaded is not None:
            return max(loaded, key=lambda v: v.number) if loaded else None
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One immutable revision of a form's questions. `fields` is a list of field dicts
    (`schema.FieldSpec`: key, type, label, help, required, options, min, max); `scoring` is
    None or `{"method": "sum", "keys": [...], "bands": [...], "flags": [{"key", "min",
    "label"}]}` (see scoring.py)."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    fields = models.JSONField(default=list)
    scoring = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["form_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"FormVersion #{self.pk} (form #{self.form_id} v{self.number})"

    @property
    def field_list(self) -> list[dict[str, Any]]:
        """The stored fields (JSON: read each one's type with `schema.field_type`)."""
        return list(self.fields or [])


class FormShare(models.Model):
    """One form requested of one client. `message` shows only in the portal (never in email).
    Un-sharing sets `unshared_at`; at most one active share per (client, form)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="form_shares")
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True)
    unshared_at = models.DateTimeField(null=True, blank=True)
    requested_in_setup = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["-shared_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["client", "form"],
                condition=Q(unshared_at__isnull=True),
                name="form_share_one_active",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["client", "unshared_at"])]

    def __str__(self) -> str:
        return f"FormShare #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.unshared_at is None


class SubmissionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class FormSubmission(models.Model):
    """A client's answers to one share. `version` is fixed when the draft is first saved;
    `score`/`severity`/`flags` are computed on submit (scoring.py)."""

    share = models.OneToOneField(FormShare, on_delete=models.CASCADE, related_name="submission")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    answers = models.JSONField(default=dict)
    state = models.CharField(
        max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(null=True, blank=True)
    severity = models.CharField(max_length=64, blank=True)
    flags = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"FormSubmission #{self.pk}"


class SignatureEvidence(models.Model):
    """The signature evidence record: who signed what, when, from where, and the SHA-256 of the
    canonical JSON of the answers they signed (so tampering is detectable)."""

    submission = models.OneToOneField(
        FormSubmission, on_delete=models.CASCADE, related_name="signature"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="form_signatures"
    )
    typed_name = models.CharField(max_length=200)
    drawn_signature = models.TextField(blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="signatures")
    answers_sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"SignatureEvidence #{self.pk}"
