"""The portal invitation journey in a real browser, on the demo practice: the owner adds a client,
runs the setup wizard and sends the invitation; the client opens the link from the email, sets a
password and completes onboarding; the owner sees the notification. And: revoking access signs
the client out at once.

No django_db (the live server commits what the browser does): each test removes what it made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page
from pytest_django import DjangoDbBlocker

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from tenant_apps.notifications.models import OutboundEmail
from tests.support.browser import (
    client_accepts_invitation,
    demo_client_remove,
    demo_practice,
    invitation_path,
    owner_adds_client,
    setup_and_invite,
    sign_in,
)

pytestmark = pytest.mark.browser

EMAIL = "bea.browserclient@example.org"
PASSWORD = "a-sunny-window-passphrase-8"


@pytest.fixture
def removes_the_client(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        # Cascades to its portal access, invitations, onboarding answers and notifications.
        demo_client_remove(EMAIL)
        OutboundEmail.objects.filter(to_email=EMAIL).delete()
        OutboundEmail.objects.filter(kind="onboarding_completed").delete()


def test_owner_invites_a_client_who_completes_onboarding(
    portal_server: str,
    page: Page,
    chromium: Browser,
    removes_the_client: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    sign_in(page, base, *DEMO_OWNER)
    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Add a client").click()
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Last name").fill("Browserclient")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Add client").click()
    page.get_by_role("link", name="Start setup").click()
    page.get_by_role("link", name="The details are right: continue").click()
    page.get_by_text("Forms and documents to complete or sign").wait_for()
    page.get_by_label("Demographics").check()
    page.get_by_label("Emergency contact").uncheck()
    page.get_by_label("Insurance").uncheck()
    page.get_by_role("button", name="Send invitation and continue").click()
    page.get_by_text("Invitation sent.").wait_for()
    assert page.locator("#portal-status").inner_text() == "Invited"

    client_context = chromium.new_context()
    try:
        client = client_context.new_page()
        client_accepts_invitation(client, base, invitation_path(django_db_blocker, EMAIL), PASSWORD)
        client.wait_for_url(f"{base}/onboarding/demographics/")
        client.get_by_label("Street address").fill("1 Quiet Lane")
        client.get_by_label("City").fill("Springfield")
        client.get_by_label("Postal code").fill("12345")
        client.get_by_role("button", name="Save and continue").click()
        client.wait_for_url(f"{base}/")
        client.get_by_text("Thank you: onboarding is complete.").wait_for()
        assert client.get_by_text("Nothing needs your attention right now.").is_visible()
    finally:
        client_context.close()

    page.goto(f"{base}/staff/")
    notifications = page.get_by_role("region", name="Notifications (1)")
    notifications.get_by_text("Onboarding complete").wait_for()
    assert notifications.get_by_role("link", name="Bea Browserclient").is_visible()


def test_revoking_access_signs_the_client_out_at_once(
    portal_server: str,
    page: Page,
    chromium: Browser,
    removes_the_client: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    sign_in(page, base, *DEMO_OWNER)
    owner_adds_client(page, base, "Bea", "Browserclient", EMAIL)
    page.get_by_role("link", name="Portal tab").click()
    setup_and_invite(page)

    client_context = chromium.new_context()
    try:
        client = client_context.new_page()
        client_accepts_invitation(client, base, invitation_path(django_db_blocker, EMAIL), PASSWORD)
        client.wait_for_url(f"{base}/")
        assert client.get_by_role("link", name="Communication preferences").is_visible()

        page.get_by_role("button", name="Revoke access").click()
        page.get_by_text("Portal access revoked").wait_for()

        client.get_by_role("link", name="Communication preferences").click()
        client.wait_for_url(re.compile(re.escape(f"{base}/sign-in/")))
        assert client.get_by_role("heading", name="Sign in").is_visible()
    finally:
        client_context.close()
