from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from shared_apps.accounts.fields import EmailFormField
from shared_apps.accounts.models import StaffRole, User, normalize_email


class ForgotPasswordForm(forms.Form):
    email = EmailFormField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class NewPasswordForm(forms.Form):
    """A new password, typed twice, checked by Django's validators against `user`."""

    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            try:
                password_validation.validate_password(first, self._user_for_validation())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def _user_for_validation(self) -> User | None:
        return self.user


class JoinForm(NewPasswordForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    field_order = ("first_name", "last_name", "password1", "password2")

    def _user_for_validation(self) -> User | None:
        # The password must not resemble the name being typed either.
        if self.user is None:
            return None
        return User(
            email=self.user.email,
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ("current_password", "password1", "password2")

    def clean_current_password(self) -> str:
        current: str = self.cleaned_data["current_password"]
        if self.user is None or not self.user.check_password(current):
            raise forms.ValidationError("That is not your current password.")
        return current


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = EmailFormField(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault(
            "initial",
            {"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
        )
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError("Another account at this practice uses that email.")
        return email


class StaffInviteForm(forms.Form):
    email = EmailFormField(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(
        label="Role",
        choices=[(role.value, role.label) for role in (StaffRole.CLINICIAN, StaffRole.ADMIN)],
    )


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class StaffTwoFactorPolicyForm(forms.Form):
    requires_staff_totp = forms.BooleanField(
        label="Require an authenticator app code at every staff sign-in", required=False
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=100, help_text="What will use it, e.g. “billing export”."
    )
