from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from shared_apps.accounts.models import User, UserKind


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.TypedChoiceField(
        label="Staff member", required=False, coerce=int, empty_value=None
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_type = forms.CharField(label="Object type", required=False, max_length=64)
    object_id = forms.CharField(label="Object id", required=False, max_length=64)

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "Any action"),
            *[(action, action) for action in actions],
        ]
        staff = User.objects.filter(kind=UserKind.STAFF).order_by("last_name", "first_name")
        cast(forms.ChoiceField, self.fields["actor"]).choices = [
            ("", "Anyone"),
            *[(str(member.pk), member.display_name) for member in staff],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError("“From” must be on or before “To”.")
        return cleaned
