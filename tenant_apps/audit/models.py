"""Audit entries. Append-only: a database trigger refuses UPDATE and DELETE (migration 0002)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class AuditEntry(models.Model):
    """One read or change of client data by staff, or an account event. Never PHI: objects are
    named by type and id, details hold ids and flags only."""

    actor_id = models.BigIntegerField(null=True, blank=True, help_text="accounts.User id.")
    actor_kind = models.CharField(max_length=16, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=64, db_index=True, help_text="e.g. client.viewed")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"
