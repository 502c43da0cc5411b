"""Secure messaging in real browsers, on the demo practice: a clinician sends a message, the
client (already on their portal) sees the unread badge appear, opens Messages and replies, and the
clinician sees the reply arrive on the page they kept open, without reloading it.

No django_db (the live server commits what the browsers do): the fixture removes what it made.
Pages poll every second here (`PORTICO_MESSAGING_POLL_SECONDS`), so the test waits little.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from provisioning.services import practice_staff_create
from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.accounts.services import account_sessions_end
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.models import OutboundEmail
from tests.support.browser import demo_practice, sign_in

pytestmark = pytest.mark.browser

CLINICIAN = ("cora.messaging-clinician@example.org", "a-quiet-harbour-passphrase-4")
CLIENT = ("milo.messaging-client@example.org", "a-bright-meadow-passphrase-7")


@pytest.fixture
def people(portal_server: str, django_db_blocker: DjangoDbBlocker, settings: Any) -> Iterator[int]:
    """A clinician and their client (portal account, secure messaging on) in the demo practice;
    yields the client's id. Removed afterwards with everything the browsers made."""
    settings.PORTICO_MESSAGING_POLL_SECONDS = 1
    with django_db_blocker.unblock():
        practice = demo_practice()
        clinician = practice_staff_create(
            practice=practice,
            email=CLINICIAN[0],
            password=CLINICIAN[1],
            role=StaffRole.CLINICIAN,
            first_name="Cora",
            last_name="Clinician",
        )
        with schema_context(practice.schema_name):
            account = User.objects.create_user(
                CLIENT[0], CLIENT[1], kind=UserKind.CLIENT, first_name="Milo", last_name="Reply"
            )
            client = Client.objects.create(
                first_name="Milo",
                last_name="Reply",
                email=CLIENT[0],
                clinician=clinician,
                account=account,
                portal_status=PortalStatus.ACTIVE,
            )
            PortalAccess.objects.create(client=client, secure_messaging=True, allows_email=True)
    yield client.pk
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        for user in User.objects.filter(email__in=[CLINICIAN[0], CLIENT[0]]):
            account_sessions_end(user=user)
        # Cascades to the conversation, its messages and read states, and the portal access.
        Client.objects.filter(email=CLIENT[0]).delete()
        OutboundEmail.objects.filter(to_email__in=[CLINICIAN[0], CLIENT[0]]).delete()
        User.objects.filter(email__in=[CLINICIAN[0], CLIENT[0]]).delete()


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    sign_in(page, base, email, password, then=re.compile(re.escape(base) + r"/(staff/)?$"))


def test_clinician_and_client_exchange_messages_without_reloading(
    portal_server: str, page: Page, chromium: Any, people: int
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    client_context = chromium.new_context()
    try:
        client = client_context.new_page()
        _sign_in(client, base, *CLIENT)
        messages_link = client.get_by_role("link", name=re.compile(r"^Messages"))
        assert messages_link.is_visible()
        assert client.get_by_test_id("messages-unread").count() == 0

        _sign_in(page, base, *CLINICIAN)
        page.goto(f"{base}/staff/clients/{people}/messages/")
        page.get_by_role("textbox", name="Message").fill("Hello Milo, how was your week?")
        page.get_by_role("button", name="Send message").click()
        page.locator("#message-list").get_by_text("Hello Milo, how was your week?").wait_for()
        # From here on the clinician's page is never reloaded: a marker in its window survives.
        page.evaluate("window.stillTheSamePage = true")

        # The client's home page was loaded before the message: the badge arrives by polling.
        badge = client.get_by_test_id("messages-unread")
        badge.wait_for(timeout=10_000)
        assert badge.inner_text().startswith("1")
        client.get_by_role("link", name=re.compile(r"^Messages")).click()
        client.wait_for_url(f"{base}/messages/")
        client.locator("#message-list").get_by_text("Hello Milo, how was your week?").wait_for()
        assert client.locator("#crisis-notice").is_visible()
        client.get_by_role("textbox", name="Message").fill("Better, thank you. See you Tuesday.")
        client.get_by_role("button", name="Send message").click()
        client.locator("#message-list").get_by_text("Better, thank you.").wait_for()
        assert client.get_by_test_id("messages-unread").count() == 0
    finally:
        client_context.close()

    page.locator("#message-list").get_by_text("Better, thank you. See you Tuesday.").wait_for(
        timeout=10_000
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.url == f"{base}/staff/clients/{people}/messages/"
