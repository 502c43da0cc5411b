"""A person opens the demo practice's portal in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from tests.support.browser import fill_sign_in

# No django_db: the live server commits what the browser does, so there is no test transaction
# to roll back; whatever a test creates, it removes (see test_sign_up.py).
pytestmark = pytest.mark.browser


def test_demo_practice_portal_opens_with_its_title(portal_server: str, page: Page) -> None:
    response = page.goto(f"http://demo.localhost:{portal_server}/")
    assert response is not None
    assert response.status == 200
    assert page.title() == "Demo Therapy Practice — Client portal"


def test_demo_owner_signs_in_and_lands_on_staff_home(portal_server: str, page: Page) -> None:
    page.goto(f"http://demo.localhost:{portal_server}/")
    page.get_by_role("link", name="Existing client? Sign in").click()
    fill_sign_in(page, *DEMO_OWNER)
    page.wait_for_url(f"http://demo.localhost:{portal_server}/staff/")
    assert page.get_by_role("heading", name="Demo Therapy Practice").is_visible()


def test_unknown_practice_shows_the_not_found_page(portal_server: str, page: Page) -> None:
    response = page.goto(f"http://nope.localhost:{portal_server}/")
    assert response is not None
    assert response.status == 404
    assert page.title() == "No portal at this address"
