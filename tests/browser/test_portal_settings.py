"""The owner copies the portal address from Settings > Portal in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from tests.support.browser import fill_sign_in

# No django_db: see test_demo_practice.py. Only reads here (the settings row the page creates on
# first read holds the defaults).
pytestmark = pytest.mark.browser


def test_owner_copies_the_portal_address(portal_server: str, page: Page) -> None:
    base = f"http://demo.localhost:{portal_server}"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{base}/staff/settings/portal/")
    fill_sign_in(page, *DEMO_OWNER)
    page.wait_for_url(f"{base}/staff/settings/portal/")

    # Printed without the live server's port: the settings know no dev port in tests.
    portal_url = "http://demo.localhost/"
    assert page.locator("#portal-address").inner_text() == portal_url
    page.get_by_role("button", name="Copy address").click()
    page.get_by_role("status").filter(has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == portal_url
