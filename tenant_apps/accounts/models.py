"""The practice's staff sign-in policy (one row per practice schema)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q


class StaffSecurityPolicy(models.Model):
    """Set by the owner on the team page. A single row (id 1), made on first use."""

    requires_staff_totp = models.BooleanField(
        default=False, help_text="Every staff member signs in with an authenticator app code too."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(name="staff_security_policy_single_row", condition=Q(id=1)),
        ]

    def __str__(self) -> str:
        return f"StaffSecurityPolicy (TOTP required: {self.requires_staff_totp})"


class StaffApiToken(models.Model):
    """A staff member's token for the practice API (`Authorization: Bearer ppt_…`). Only its
    SHA-256 is stored, in the practice's own schema: it cannot work on another practice's host."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="staff_api_tokens"
    )
    name = models.CharField(max_length=100)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token #{self.pk}"
