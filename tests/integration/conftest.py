"""Fixtures shared by the practice-area tests: an admin for practice A, and clients of A made
by the services (clients, invitations, onboarding)."""

from __future__ import annotations

from typing import Any

import pytest

from provisioning.services import practice_staff_create
from shared_apps.accounts.models import StaffRole, User
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tests.cast import PASSWORD, Cast
from tests.support.clients import MakeClient


@pytest.fixture
def admin_a(cast: Cast) -> User:
    return practice_staff_create(
        practice=cast.a.practice,
        email="admin@a.example.com",
        password=PASSWORD,
        role=StaffRole.ADMIN,
        first_name="Ada",
        last_name="Frontdesk",
    )


@pytest.fixture
def make_client(cast: Cast) -> MakeClient:
    """Create a client of practice A through `client_create` (as A's owner unless `actor=`)."""

    def make(**fields: Any) -> Client:
        actor = fields.pop("actor", cast.a.owner)
        data = ClientData(
            first_name=fields.pop("first_name", "Robin"),
            last_name=fields.pop("last_name", "Testclient"),
            **fields,
        )
        with cast.a.schema():
            return client_create(actor=actor, data=data)

    return make


@pytest.fixture
def assigned(cast: Cast, make_client: MakeClient) -> Client:
    """A's client assigned to A's clinician."""
    return make_client(
        first_name="Avery",
        last_name="Assigned",
        email="avery@example.org",
        clinician=cast.a.clinician,
    )


@pytest.fixture
def unassigned(make_client: MakeClient) -> Client:
    """A's client assigned to nobody: A's clinician must not see it."""
    return make_client(first_name="Uma", last_name="Unassigned", email="uma@example.org")
