from __future__ import annotations

from typing import ClassVar

from django import forms

from tenant_apps.onboarding.models import Demographics, EmergencyContact, Insurance


class DemographicsForm(forms.ModelForm):
    class Meta:
        model = Demographics
        fields: ClassVar = [
            "address_line1",
            "address_line2",
            "city",
            "postal_code",
            "country",
            "gender_identity",
            "preferred_language",
        ]


class EmergencyContactForm(forms.ModelForm):
    class Meta:
        model = EmergencyContact
        fields: ClassVar = ["name", "relationship", "phone"]


class InsuranceForm(forms.ModelForm):
    class Meta:
        model = Insurance
        fields: ClassVar = ["provider", "member_id", "group_number", "policy_holder"]


class PreferencesForm(forms.Form):
    allows_email = forms.BooleanField(
        label="Send me email notifications (for example, when a secure message is waiting)",
        required=False,
    )
