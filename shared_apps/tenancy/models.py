"""Practices (one PostgreSQL schema each) and the domains that route to them."""

from __future__ import annotations

import secrets
import string
import uuid
from typing import ClassVar

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

_SCHEMA_ALPHABET = string.ascii_lowercase + string.digits


def new_schema_name() -> str:
    """An opaque schema name, never derived from the subdomain: subdomains change, schemas don't."""
    return "p_" + "".join(secrets.choice(_SCHEMA_ALPHABET) for _ in range(12))


class PracticeStatus(models.TextChoices):
    POOLED = "pooled", "Pooled (ready to be claimed)"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    OFFBOARDING = "offboarding", "Offboarding"


class Practice(TenantMixin):
    schema_name = models.CharField(max_length=63, unique=True, default=new_schema_name)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=PracticeStatus.choices, default=PracticeStatus.POOLED
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # Set once the schema exists and every migration has run: only then may it be claimed.
    schema_ready_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Only provisioning/ creates or drops schemas, explicitly (DESIGN.md §4).
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        indexes: ClassVar = [
            # Sign-up's claim reads the first ready pooled practice: O(1) however many exist.
            models.Index(
                fields=["id"],
                condition=models.Q(status="pooled", schema_ready_at__isnull=False),
                name="practice_ready_pool",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="practice_schema_name_opaque",
                condition=models.Q(schema_name__regex=r"^p_[a-z0-9]{6,40}$"),
            ),
        ]

    def __str__(self) -> str:
        return f"Practice {self.schema_name}"

    @property
    def is_serving(self) -> bool:
        """Whether the portal answers requests (pooled schemas have no domain anyway)."""
        return self.status == PracticeStatus.ACTIVE


class Domain(DomainMixin):
    """A host name routed to a practice: `<subdomain>.<platform domain>`, later custom domains.

    A practice's previous subdomain is kept, retired, for `SUBDOMAIN_HOLD_DAYS`: it answers with a
    permanent redirect to the primary host, and nobody else can take it meanwhile.
    """

    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="domain_one_primary_per_practice",
            ),
        ]

    def __str__(self) -> str:
        return self.domain


class PracticeEventKind(models.TextChoices):
    CREATED = "created", "Created"
    CLAIMED = "claimed", "Signed up"
    SUSPENDED = "suspended", "Suspended"
    RESUMED = "resumed", "Resumed"
    SUBDOMAIN_CHANGED = "subdomain_changed", "Subdomain changed"
    OFFBOARDING_STARTED = "offboarding_started", "Offboarding started"
    OFFBOARDED = "offboarded", "Offboarded"


class PracticeEvent(models.Model):
    """The platform's audit log of a practice's life (status history). Never PHI.

    Refers to the practice by uuid, not by foreign key, so the history outlives an offboarded
    practice's row.
    """

    practice_uuid = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=32, choices=PracticeEventKind.choices)
    actor = models.CharField(max_length=64, help_text="`operator:<id>`, `signup`, `system`.")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.practice_uuid}"


class PracticeExport(models.Model):
    """The archive made when a practice is offboarded: JSON per table plus the files, in S3.

    Downloaded through `/exports/<token>/` by whoever holds the link (emailed to the owners);
    the token is stored only as its SHA-256.
    """

    practice_uuid = models.UUIDField(unique=True)
    s3_key = models.CharField(max_length=255)
    size_bytes = models.BigIntegerField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Export of {self.practice_uuid}"
