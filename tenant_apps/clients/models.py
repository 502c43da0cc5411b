"""A practice's client records. PHI: lives only in the practice's schema."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class PortalStatus(models.TextChoices):
    NOT_INVITED = "not_invited", "Not invited"
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Revoked"


class Client(models.Model):
    """A person the practice sees. `email` is optional; when given it is lower-case and unique
    among clients that are not archived (an archived record may share it with a new one)."""

    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_clients",
        limit_choices_to={"kind": "staff", "role": "clinician"},
        help_text="The clinician who sees this client; only they (and owners, admins) see it.",
    )
    portal_status = models.CharField(
        max_length=16, choices=PortalStatus.choices, default=PortalStatus.NOT_INVITED
    )
    is_archived = models.BooleanField(default=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_record",
        help_text="The client's portal sign-in, once invited and accepted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["last_name", "first_name", "id"]
        indexes: ClassVar = [models.Index(fields=["last_name", "first_name", "id"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(is_archived=False) & ~Q(email=""),
                name="client_email_unique_among_active",
                violation_error_message="A client with this email already exists.",
            ),
            models.CheckConstraint(
                name="client_email_lower_case", condition=Q(email=Lower("email"))
            ),
        ]

    def __str__(self) -> str:
        # Never a name or email: this string ends up in logs.
        return f"Client #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        """The name to greet and list the client by: the preferred name when there is one."""
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()
