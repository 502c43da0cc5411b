"""Console forms. Labels are the product's words; every field has one (accessibility)."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from shared_apps.accounts.fields import EmailFormField
from shared_apps.accounts.models import User
from shared_apps.tenancy.models import PracticeStatus
from shared_apps.tenancy.subdomains import MAX_LENGTH

ANY_CLAIMED = ""
STATUS_FILTER_CHOICES = [(ANY_CLAIMED, "Any (not pooled)"), *PracticeStatus.choices]


class OperatorSignInForm(AuthenticationForm):
    """Email and password of an operator account. Any other account gets the same answer as a
    wrong password (practice accounts do not exist here anyway: they live in practice schemas)."""

    username = EmailFormField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an operator account.",
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not isinstance(user, User) or not user.is_operator:
            raise self.get_invalid_login_error()


class TotpForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": r"[0-9 ]*",
            }
        ),
    )


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label="Name or subdomain", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTER_CHOICES)


def _time_zone_validate(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise forms.ValidationError(
            "Use a time zone name such as Europe/London or America/Chicago."
        )


class PracticeProvisionForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=200)
    subdomain = forms.CharField(
        label="Subdomain",
        max_length=MAX_LENGTH,
        help_text="The portal's address: <subdomain>.<platform domain>.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    owner_email = EmailFormField(
        label="Owner's email", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    time_zone = forms.CharField(
        label="Time zone", initial="UTC", max_length=64, validators=[_time_zone_validate]
    )


class SubdomainChangeForm(forms.Form):
    subdomain = forms.CharField(
        label="New subdomain",
        max_length=MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )


class OffboardForm(forms.Form):
    confirm_subdomain = forms.CharField(
        label="Type the practice's subdomain to confirm",
        max_length=MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
