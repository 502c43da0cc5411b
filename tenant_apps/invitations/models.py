"""Portal access per client and the invitations that open it. Practice schema only."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from tenant_apps.clients.models import Client

# The features a practice can turn on per client (PRODUCT.md §2), in display order:
# field name → label. Settings > Portal holds the defaults as `default_<name>`.
FEATURES: dict[str, str] = {
    "secure_messaging": "Secure messaging",
    "online_booking": "Online booking",
    "client_uploads": "Client uploads",
    "view_shared_invoices": "View shared invoices",
    "manage_billing": "Manage billing",
}
# The information to collect, each one an onboarding step: step name → label. Settings > Portal
# holds the defaults as `collect_<name>`.
COLLECT_STEPS: dict[str, str] = {
    "demographics": "Demographics",
    "emergency_contact": "Emergency contact",
    "insurance": "Insurance",
}


class PortalAccess(models.Model):
    """What one client's portal offers and asks for, chosen in the setup wizard; also the
    client's own communication preference. Made with the first invitation."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="portal_access")
    secure_messaging = models.BooleanField(default=False)
    online_booking = models.BooleanField(default=False)
    client_uploads = models.BooleanField(default=False)
    view_shared_invoices = models.BooleanField(default=False)
    manage_billing = models.BooleanField(default=False)
    collect_demographics = models.BooleanField(default=False)
    collect_emergency_contact = models.BooleanField(default=False)
    collect_insurance = models.BooleanField(default=False)
    allows_email = models.BooleanField(
        default=True, help_text="The client allows email notifications (their own choice)."
    )
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"PortalAccess of client #{self.client_id}"

    @property
    def enabled_features(self) -> list[tuple[str, str]]:
        return [(name, label) for name, label in FEATURES.items() if getattr(self, name)]

    @property
    def requested_steps(self) -> list[str]:
        return [name for name in COLLECT_STEPS if getattr(self, f"collect_{name}")]


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Sent"
    OPENED = "opened", "Opened"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    REPLACED = "replaced", "Replaced by a newer invitation"


# What a person sees for an invitation whose time ran out before it was accepted.
EXPIRED_LABEL = "Expired"
OPEN_STATUSES = (InvitationStatus.SENT, InvitationStatus.OPENED)


class Invitation(models.Model):
    """One invitation link sent to a client. Only the SHA-256 of the link's token is stored:
    a database leak reveals no working link, and the row lives in the practice's schema, so the
    link cannot work on another practice's host."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    token_sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.SENT
    )
    sent_by_id = models.BigIntegerField(null=True, blank=True, help_text="accounts.User id.")
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-sent_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["client", "status"])]

    def __str__(self) -> str:
        return f"Invitation #{self.pk} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.status in OPEN_STATUSES and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status in OPEN_STATUSES and not self.is_expired

    @property
    def status_label(self) -> str:
        return EXPIRED_LABEL if self.is_expired else self.get_status_display()
