"""Forms of the messaging pages. The service validates the text again (empty, too long)."""

from __future__ import annotations

from django import forms

from tenant_apps.messaging.models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    # Not `required`: the service's own sentence is shown for an empty message.
    body = forms.CharField(
        label="Message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
    )


class StaffMessagingPreferenceForm(forms.Form):
    emails_unread_messages = forms.BooleanField(
        label="Email me when a client message stays unread",
        required=False,
        help_text="One email, without the message, after the practice's delay.",
    )
