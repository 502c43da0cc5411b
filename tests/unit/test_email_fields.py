"""No form or serializer accepts an email address longer than the column it is saved in (an
over-long address used to pass them and end in a 500 from PostgreSQL). The forms and serializers
are found by introspection, so a new one is checked without being listed here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import cast

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

import provisioning
import shared_apps
import tenant_apps
from shared_apps.accounts.fields import EmailFormField, EmailSerializerField, email_max_length
from tests.support.hostile_input import LONGEST_EMAIL as LONGEST
from tests.support.hostile_input import TOO_LONG_EMAIL as TOO_LONG

PROJECT_PACKAGES: tuple[ModuleType, ...] = (shared_apps, tenant_apps, provisioning)
EmailHolder = tuple[str, str, forms.Field | serializers.Field]


def _project_modules() -> Iterator[ModuleType]:
    for package in PROJECT_PACKAGES:
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if ".migrations" in info.name or ".tests" in info.name:
                continue
            yield importlib.import_module(info.name)


def _email_fields() -> list[EmailHolder]:
    found: dict[str, EmailHolder] = {}
    for module in _project_modules():
        for cls in vars(module).values():
            if not inspect.isclass(cls) or not cls.__module__.startswith(
                tuple(package.__name__ for package in PROJECT_PACKAGES)
            ):
                continue
            if issubclass(cls, forms.BaseForm):
                fields: dict[str, forms.Field | serializers.Field] = dict(
                    cast(type[forms.Form], cls).base_fields
                )
            elif issubclass(cls, serializers.BaseSerializer):
                fields = dict(getattr(cls, "_declared_fields", {}))
            else:
                continue
            for name, field in fields.items():
                if isinstance(field, forms.EmailField | serializers.EmailField):
                    label = f"{cls.__module__}.{cls.__qualname__}.{name}"
                    found[label] = (label, name, field)
    return sorted(found.values(), key=lambda holder: holder[0])


EMAIL_FIELDS = _email_fields()


def test_the_walk_finds_every_place_an_email_is_taken() -> None:
    labels = {label for label, _, _ in EMAIL_FIELDS}
    assert {
        "shared_apps.signup.forms.SignUpForm.email",
        "shared_apps.console.api.PracticeCreateInput.owner_email",
        "shared_apps.console.forms.PracticeProvisionForm.owner_email",
        "tenant_apps.clients.api.ClientInput.email",
        "tenant_apps.clients.forms.ClientForm.email",
        "tenant_apps.accounts.forms.StaffInviteForm.email",
        "tenant_apps.accounts.forms.ProfileForm.email",
        "tenant_apps.portal.forms.SignInForm.username",
    } <= labels


@pytest.mark.parametrize(
    ("label", "name", "field"), EMAIL_FIELDS, ids=[label for label, _, _ in EMAIL_FIELDS]
)
def test_every_email_field_refuses_what_the_column_cannot_hold(
    label: str, name: str, field: forms.Field | serializers.Field
) -> None:
    assert len(TOO_LONG) > email_max_length()
    if isinstance(field, forms.Field):
        with pytest.raises(ValidationError) as form_refusal:
            field.clean(TOO_LONG)
        message = str(form_refusal.value)
        assert field.clean(LONGEST) == LONGEST
    else:
        with pytest.raises(ApiValidationError) as api_refusal:
            field.run_validation(TOO_LONG)
        message = str(api_refusal.value)
        assert field.run_validation(LONGEST) == LONGEST
    assert f"{email_max_length()} characters" in message, label
    assert isinstance(field, EmailFormField | EmailSerializerField), (
        f"{label} must be an EmailFormField / EmailSerializerField (shared_apps/accounts/fields.py)"
    )


def test_every_email_column_holds_the_longest_address_the_fields_accept() -> None:
    assert len(LONGEST) == email_max_length() == 254
    columns = [
        (f"{model._meta.label}.{field.name}", field.max_length)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.EmailField)
    ]
    assert columns, "no email column found"
    assert [
        (label, max_length)
        for label, max_length in columns
        if max_length is None or max_length < email_max_length()
    ] == []
