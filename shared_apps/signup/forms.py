from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from shared_apps.accounts.fields import EmailFormField
from shared_apps.accounts.models import User, UserKind
from shared_apps.tenancy.subdomains import SubdomainError, subdomain_validate


class SignUpForm(forms.Form):
    practice_name = forms.CharField(label="Practice name", max_length=200)
    subdomain = forms.CharField(
        label="Portal address",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    first_name = forms.CharField(label="Your first name", max_length=150)
    last_name = forms.CharField(label="Your last name", max_length=150)
    email = EmailFormField(
        label="Your email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )

    def clean_practice_name(self) -> str:
        name = " ".join(self.cleaned_data["practice_name"].split())
        if not name:
            raise ValidationError("Please enter your practice's name.")
        return name

    def clean_subdomain(self) -> str:
        try:
            return subdomain_validate(self.cleaned_data["subdomain"])
        except SubdomainError as error:
            raise ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            # Validated against the person's own details, as Django's similarity check expects.
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                kind=UserKind.STAFF,
            )
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
