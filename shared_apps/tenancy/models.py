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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Only provisioning/ creates or drops schemas, explicitly (DESIGN.md §4).
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
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
    """A host name routed to a practice: `<subdomain>.<platform domain>`, later custom domains."""

    def __str__(self) -> str:
        return self.domain
