from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django_tenants.utils import schema_context

from provisioning.services import practice_staff_create
from shared_apps.accounts.models import StaffRole, User
from tenant_apps.practice_settings.selectors import portal_settings
from tests.cast import PASSWORD, Cast, PracticeCast


@pytest.fixture
def admin_a(db: None, cast: Cast) -> User:
    """A front-desk admin of practice A (the session cast has none); gone with the test."""
    return practice_staff_create(
        practice=cast.a.practice,
        email="admin@a.example.com",
        password=PASSWORD,
        role=StaffRole.ADMIN,
        first_name="Ada",
        last_name="Deskworth",
    )


def settings_of(cast_practice: PracticeCast) -> dict[str, Any]:
    """The practice's portal settings row as a dict (created with the defaults if missing)."""
    with schema_context(cast_practice.practice.schema_name):
        return model_to_dict(portal_settings())
