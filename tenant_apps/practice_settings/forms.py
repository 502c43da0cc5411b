"""The Settings > Portal form: the practice's name and time zone, and its portal settings."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, RegexValidator

from shared_apps.tenancy.services import PRACTICE_NAME_MAX_LENGTH
from tenant_apps.practice_settings.models import (
    CRISIS_NOTICE_MAX_LENGTH,
    UNREAD_MESSAGE_EMAIL_DELAY_MAX,
    UNREAD_MESSAGE_EMAIL_DELAY_MIN,
    PortalSettings,
)

CANCELLATION_POLICY_MAX_LENGTH = 5000
_DELAY_MESSAGE = (
    f"Choose a delay between {UNREAD_MESSAGE_EMAIL_DELAY_MIN} and "
    f"{UNREAD_MESSAGE_EMAIL_DELAY_MAX} minutes (24 hours)."
)
_phone_validate = RegexValidator(
    r"^[0-9+()\-./ ]*(?:(?:ext\.?|x) ?[0-9]+)?$",
    "Use digits, spaces and + ( ) - . only, e.g. +1 (555) 010-0199.",
)


def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


class PortalSettingsForm(forms.ModelForm):
    """Bound to a `PortalSettings` row for its initial values only: the view saves through
    `portal_settings_update`, never with `form.save()`."""

    name = forms.CharField(label="Practice name", max_length=PRACTICE_NAME_MAX_LENGTH)
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Appointments and emails use it, e.g. America/Chicago or Europe/London.",
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    class Meta:
        model = PortalSettings
        fields = (
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
            "default_secure_messaging",
            "default_online_booking",
            "default_client_uploads",
            "default_view_shared_invoices",
            "default_manage_billing",
            "collect_demographics",
            "collect_emergency_contact",
            "collect_insurance",
            "unread_message_email_delay_minutes",
            "cancellation_policy",
            "admin_staff_read_messages",
            "crisis_notice",
        )
        widgets = {
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "unread_message_email_delay_minutes": forms.NumberInput(
                attrs={
                    "min": UNREAD_MESSAGE_EMAIL_DELAY_MIN,
                    "max": UNREAD_MESSAGE_EMAIL_DELAY_MAX,
                }
            ),
            "cancellation_policy": forms.Textarea(
                attrs={"rows": 5, "maxlength": CANCELLATION_POLICY_MAX_LENGTH}
            ),
            "crisis_notice": forms.Textarea(
                attrs={"rows": 3, "maxlength": CRISIS_NOTICE_MAX_LENGTH}
            ),
        }
        help_texts = {
            "unread_message_email_delay_minutes": (
                "When a message from the practice stays unread this long, the client gets one "
                "email saying a secure message is waiting (never its text)."
            ),
            "cancellation_policy": "Plain text, shown to clients when they cancel or reschedule.",
            "admin_staff_read_messages": (
                "Off: only owners and the client's clinician read a client's messages."
            ),
            "crisis_notice": (
                "Shown to clients above the message box. Left empty, the default notice is shown."
            ),
        }
        error_messages = {
            "unread_message_email_delay_minutes": {
                "min_value": _DELAY_MESSAGE,
                "max_value": _DELAY_MESSAGE,
                "invalid": _DELAY_MESSAGE,
                "required": _DELAY_MESSAGE,
            },
        }

    fieldsets = (
        ("Practice", ("name", "time_zone", "phone")),
        (
            "Address shown to clients",
            ("address_line1", "address_line2", "city", "region", "postal_code", "country"),
        ),
        (
            "Features turned on for new clients",
            (
                "default_secure_messaging",
                "default_online_booking",
                "default_client_uploads",
                "default_view_shared_invoices",
                "default_manage_billing",
            ),
        ),
        (
            "Information to collect from new clients",
            ("collect_demographics", "collect_emergency_contact", "collect_insurance"),
        ),
        ("Notifications", ("unread_message_email_delay_minutes",)),
        ("Secure messages", ("admin_staff_read_messages", "crisis_notice")),
        ("Cancellation policy", ("cancellation_policy",)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # "Secure messaging", not "Secure messaging:"
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(_phone_validate)
        self.fields["cancellation_policy"].validators.append(
            MaxLengthValidator(CANCELLATION_POLICY_MAX_LENGTH)
        )

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                "“%(value)s” is not a time zone we know. Pick one from the list, "
                "e.g. America/Chicago or Europe/London.",
                params={"value": value},
            )
        return value

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The bound fields in the page's sections."""
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]
