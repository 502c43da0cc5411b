"""The practice's portal settings: one row per practice schema."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

UNREAD_MESSAGE_EMAIL_DELAY_MIN = 1
UNREAD_MESSAGE_EMAIL_DELAY_MAX = 24 * 60
CRISIS_NOTICE_MAX_LENGTH = 500
DEFAULT_CRISIS_NOTICE = (
    "Messages are not for emergencies. If you are in crisis, call 911 or 988 (the Suicide & "
    "Crisis Lifeline)."
)


class PortalSettings(models.Model):
    """Settings > Portal. A singleton: `singleton` is always true and unique, so the database
    itself refuses a second row. Read it with `selectors.portal_settings()`, which creates it."""

    singleton = models.BooleanField(default=True, editable=False)

    # Shown to clients on the portal.
    address_line1 = models.CharField("Address line 1", max_length=200, blank=True)
    address_line2 = models.CharField("Address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("State or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    # Account-level defaults for the features of a new client (PRODUCT.md §2, portal setup).
    default_secure_messaging = models.BooleanField("Secure messaging", default=True)
    default_online_booking = models.BooleanField("Online booking", default=False)
    default_client_uploads = models.BooleanField("Client uploads", default=True)
    default_view_shared_invoices = models.BooleanField("View shared invoices", default=False)
    default_manage_billing = models.BooleanField("Manage billing", default=False)

    # Account-level defaults for the information to collect from a new client.
    collect_demographics = models.BooleanField("Demographics", default=True)
    collect_emergency_contact = models.BooleanField("Emergency contact", default=True)
    collect_insurance = models.BooleanField("Insurance", default=False)

    unread_message_email_delay_minutes = models.PositiveSmallIntegerField(
        "Unread message email delay (minutes)",
        default=2,
        validators=[
            MinValueValidator(UNREAD_MESSAGE_EMAIL_DELAY_MIN),
            MaxValueValidator(UNREAD_MESSAGE_EMAIL_DELAY_MAX),
        ],
    )
    cancellation_policy = models.TextField(blank=True)

    # Secure messages (tenant_apps/messaging). Admin staff see no clinical content unless the
    # owner says so; the crisis notice is shown above the client's composer (blank: the default).
    admin_staff_read_messages = models.BooleanField(
        "Admin staff can read secure messages", default=False
    )
    crisis_notice = models.CharField(
        "Crisis notice",
        max_length=CRISIS_NOTICE_MAX_LENGTH,
        blank=True,
        default=DEFAULT_CRISIS_NOTICE,
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["singleton"], name="portal_settings_one_row"),
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="portal_settings_singleton_true"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    unread_message_email_delay_minutes__gte=UNREAD_MESSAGE_EMAIL_DELAY_MIN,
                    unread_message_email_delay_minutes__lte=UNREAD_MESSAGE_EMAIL_DELAY_MAX,
                ),
                name="portal_settings_delay_range",
            ),
        ]

    def __str__(self) -> str:
        return "Portal settings"

    @property
    def crisis_notice_shown(self) -> str:
        """The notice above a client's message composer: never empty, a cleared one falls back
        to the default."""
        return self.crisis_notice.strip() or DEFAULT_CRISIS_NOTICE

    @property
    def address_lines(self) -> list[str]:
        """The postal address as display lines, empty parts left out."""
        locality = " ".join(
            part
            for part in (", ".join(p for p in (self.city, self.region) if p), self.postal_code)
            if part
        )
        return [
            line
            for line in (self.address_line1, self.address_line2, locality, self.country)
            if line
        ]

    @property
    def has_contact(self) -> bool:
        return bool(self.address_lines or self.phone)
