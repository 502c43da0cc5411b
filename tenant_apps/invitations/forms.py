from __future__ import annotations

from typing import Any

from django import forms

from tenant_apps.invitations.models import COLLECT_STEPS, FEATURES


class PortalAccessForm(forms.Form):
    """Page 2 of the setup wizard: features to turn on, information to collect."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FEATURES.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
        for name, label in COLLECT_STEPS.items():
            self.fields[f"collect_{name}"] = forms.BooleanField(label=label, required=False)

    def feature_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FEATURES]

    def collect_fields(self) -> list[forms.BoundField]:
        return [self[f"collect_{name}"] for name in COLLECT_STEPS]
