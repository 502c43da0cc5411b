from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from tenant_apps.forms.selectors import shareable_forms
from tenant_apps.invitations.models import COLLECT_STEPS, FEATURES
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


class FormChoiceField(forms.ModelMultipleChoiceField):
    """Forms to tick, labelled by title (a form's `str()` is only its id, for the logs)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class PortalAccessForm(forms.Form):
    """Page 2 of the setup wizard: features to turn on, information to collect, forms to send
    (each one requested in setup: onboarding waits for it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FEATURES.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
        for name, label in COLLECT_STEPS.items():
            self.fields[f"collect_{name}"] = forms.BooleanField(label=label, required=False)
        self.fields["forms_to_send"] = FormChoiceField(
            queryset=shareable_forms(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Forms to send",
        )

    def feature_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FEATURES]

    def collect_fields(self) -> list[forms.BoundField]:
        return [self[f"collect_{name}"] for name in COLLECT_STEPS]
