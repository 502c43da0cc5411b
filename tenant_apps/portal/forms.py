from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from shared_apps.accounts.fields import EmailFormField


class SignInForm(AuthenticationForm):
    username = EmailFormField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account at this practice.",
    }
