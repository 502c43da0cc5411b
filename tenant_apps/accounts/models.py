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
