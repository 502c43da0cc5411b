"""Inputs of the upload-slot requests the upload script sends (the file itself goes to S3)."""

from __future__ import annotations

from django import forms

from storage.slots import FILENAME_MAX
from tenant_apps.documents.services import MESSAGE_MAX


class UploadSlotForm(forms.Form):
    """What the script announces about the chosen file, before it is sent to S3."""

    filename = forms.CharField(max_length=FILENAME_MAX)
    size = forms.IntegerField(min_value=1, required=False)


class ShareSlotForm(UploadSlotForm):
    message = forms.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the client in the portal, never in the email.",
    )
