"""Fixtures for invitations and onboarding: clients of practice A made by the services, and
helpers that drive the pages like a person would."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as Browser
from django_tenants.utils import schema_context

from provisioning.services import practice_staff_create
from shared_apps.accounts.models import StaffRole, User
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import PASSWORD, Cast, PracticeCast

MakeClient = Callable[..., Client]
CLIENT_PASSWORD = "a-calm-river-passphrase-31"


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
    def make(**fields: Any) -> Client:
        actor = fields.pop("actor", cast.a.owner)
        data = ClientData(
            first_name=fields.pop("first_name", "Robin"),
            last_name=fields.pop("last_name", "Invitee"),
            **fields,
        )
        with schema_context(cast.a.practice.schema_name):
            return client_create(actor=actor, data=data)

    return make


@pytest.fixture
def assigned(cast: Cast, make_client: MakeClient) -> Client:
    """A's client with an email, assigned to A's clinician."""
    return make_client(
        first_name="Avery",
        last_name="Assigned",
        email="avery@example.org",
        clinician=cast.a.clinician,
    )


@pytest.fixture
def unassigned(make_client: MakeClient) -> Client:
    return make_client(first_name="Uma", last_name="Unassigned", email="uma@example.org")


def fresh(practice: PracticeCast, client: Client) -> Client:
    with schema_context(practice.practice.schema_name):
        return Client.objects.select_related("account").get(pk=client.pk)


def emails(practice: PracticeCast, kind: str) -> list[OutboundEmail]:
    with schema_context(practice.practice.schema_name):
        return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def invitation_token(email: OutboundEmail) -> str:
    match = re.search(r"/invitation/([A-Za-z0-9_-]+)/", email.body_text)
    assert match is not None, email.body_text
    return match.group(1)


def invite(practice: PracticeCast, client: Client, *, by: User | None = None) -> str:
    """Invite `client` from its Portal tab; returns the raw token read from the outbox."""
    staff = practice.signed_in(by or practice.owner)
    response = staff.post(f"/staff/clients/{client.pk}/portal/invite/")
    assert response.status_code == 302, response
    return invitation_token(emails(practice, "client_invitation")[-1])


def accept(practice: PracticeCast, token: str, password: str = CLIENT_PASSWORD) -> Browser:
    """Open the link, set the password; returns the signed-in browser."""
    browser = practice.http()
    opened = browser.get(f"/invitation/{token}/")
    assert opened.status_code == 302, opened
    assert opened["Location"] == "/welcome/"
    done = browser.post("/welcome/", {"password1": password, "password2": password})
    assert done.status_code == 302, done.content
    assert done["Location"] == "/onboarding/"
    return browser
