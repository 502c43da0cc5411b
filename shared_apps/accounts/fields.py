"""The one email field type for forms and the one for DRF serializers. Every form and serializer
that takes an email address uses them, so none accepts an address longer than the column it ends
up in: the limit is the account email column's (`User.email`, 254 characters, RFC 5321's), and
every other email column is at least as long (tests/unit/test_email_fields.py walks them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

from shared_apps.accounts.models import User


def email_max_length() -> int:
    """The longest email address Portico stores."""
    column = User._meta.get_field("email")
    if not isinstance(column, models.EmailField) or column.max_length is None:
        raise ImproperlyConfigured("User.email must be an EmailField with a max_length.")
    return column.max_length


class EmailFormField(forms.EmailField):
    """A form's email address, at most `email_max_length()` characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=email_max_length(), **kwargs)


class EmailSerializerField(serializers.EmailField):
    """A serializer's email address, at most `email_max_length()` characters. With
    `allow_null=True`, a blank address (stored as "" in its column) is written out as null, so
    the data agrees with the schema's `format: email`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=email_max_length(), **kwargs)

    def to_representation(self, value: Any) -> Any:
        text = super().to_representation(value)
        if not text and self.allow_null:
            return None
        return text
