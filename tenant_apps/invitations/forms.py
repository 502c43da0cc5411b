from __future__ import annotations

from typing import Any

from django import forms

from tenant_apps.forms.selectors import shareable_forms
from tenant_apps.invitations.models import COLLECT_STEPS, FEATURES


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
