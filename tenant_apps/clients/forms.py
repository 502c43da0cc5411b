from __future__ import annotations

from typing import Any

from django import forms

from shared_apps.accounts.fields import EmailFormField
from shared_apps.accounts.models import User
from tenant_apps.clients.importing import IMPORT_FIELDS, MAX_BYTES, REQUIRED_FIELDS
from tenant_apps.clients.models import PortalStatus
from tenant_apps.clients.selectors import clinicians_assignable
from tenant_apps.clients.services import ClientData


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ClientForm(forms.Form):
    """A client's details. Clinicians do not get the clinician field: their clients stay theirs."""

    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    preferred_name = forms.CharField(max_length=150, required=False)
    pronouns = forms.CharField(max_length=50, required=False, help_text="For example: she/her.")
    email = EmailFormField(required=False, help_text="Needed to invite the client to the portal.")
    phone = forms.CharField(max_length=32, required=False)
    date_of_birth = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    clinician = ClinicianChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Not assigned"
    )

    def __init__(
        self,
        *args: Any,
        with_clinician: bool = True,
        current_clinician: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_clinician:
            choices = clinicians_assignable()
            if current_clinician is not None:
                # Keep the current assignment selectable even if that clinician left.
                choices = choices | User.objects.filter(pk=current_clinician.pk)
            self.fields["clinician"].queryset = choices  # type: ignore[attr-defined]
        else:
            del self.fields["clinician"]

    def client_data(self, *, clinician: User | None = None) -> ClientData:
        data = self.cleaned_data
        return ClientData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            preferred_name=data["preferred_name"],
            pronouns=data["pronouns"],
            email=data["email"],
            phone=data["phone"],
            date_of_birth=data["date_of_birth"],
            clinician=data["clinician"] if "clinician" in self.fields else clinician,
        )


class ClientFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False, max_length=100)
    portal_status = forms.ChoiceField(
        label="Portal status",
        required=False,
        choices=[("", "Any status"), *PortalStatus.choices],
    )
    archived = forms.BooleanField(label="Include archived clients", required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Exported from your previous system, with a header line. At most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 2 MB. Split it into smaller files and import each one."
            )
        return upload


class ImportMappingForm(forms.Form):
    """Which CSV column fills which client field; first and last name are required."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not imported —")] + [
            (str(index), header or f"Column {index + 1}") for index, header in enumerate(headers)
        ]
        for name, label in IMPORT_FIELDS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=name in REQUIRED_FIELDS,
                error_messages={"required": f"Choose the column that holds the {label.lower()}."},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[int, str] = {}
        for name in IMPORT_FIELDS:
            index = cleaned.get(name)
            if index is None:
                continue
            if index in seen:
                self.add_error(name, f"This column is already used for the {seen[index].lower()}.")
            else:
                seen[index] = IMPORT_FIELDS[name]
        return cleaned

    def mapping(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in IMPORT_FIELDS}
