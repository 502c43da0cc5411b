"""Fixtures for invitations and onboarding: clients of practice A made by the services, and
helpers that drive the pages like a person would."""

from __future__ import annotations

import re

from django.test import Client as Browser

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import PracticeCast

CLIENT_PASSWORD = "a-calm-river-passphrase-31"


def fresh(practice: PracticeCast, client: Client) -> Client:
    with practice.schema():
        return Client.objects.select_related("account").get(pk=client.pk)


def emails(practice: PracticeCast, kind: str) -> list[OutboundEmail]:
    with practice.schema():
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
