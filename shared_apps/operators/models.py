"""Operator API tokens for the platform API (`/api/platform/`). Public schema only, never PHI."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q


class OperatorApiToken(models.Model):
    """A bearer token an operator's automation uses. Only its SHA-256 is stored; the token itself
    is printed once by `manage.py create_operator_token`. Revoked tokens are kept for the record.

    `on_delete=DO_NOTHING`: the user table exists in every practice schema too, and a practice's
    search_path falls back to `public`, so an ORM cascade started by deleting a practice's user
    would otherwise delete the token of the operator who shares that primary key. The database's
    own foreign key (public → public) still refuses to delete an operator who has tokens:
    operators are deactivated, not deleted.
    """

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. `terraform`.")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["operator", "name"],
                condition=Q(revoked_at__isnull=True),
                name="operator_api_token_live_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"API token {self.name} of operator #{self.operator_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
