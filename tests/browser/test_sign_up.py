"""A practice signs up through the page and lands on its staff home, signed in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from shared_apps.tenancy.models import Practice
from tests.cleanup import practice_remove

pytestmark = pytest.mark.browser


@pytest.fixture
def removes_signed_up_practice(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        for practice in Practice.objects.filter(domains__domain__startswith="browser-clinic."):
            practice_remove(practice)


def test_sign_up_lands_on_the_new_portal_signed_in(
    portal_server: str, page: Page, removes_signed_up_practice: None
) -> None:
    platform = f"http://localhost:{portal_server}"
    page.goto(f"{platform}/")
    page.get_by_role("link", name="Create your practice's portal").click()

    page.get_by_label("Practice name").fill("Browser Clinic")
    page.get_by_label("Portal address").fill("www")
    status = page.locator("#subdomain-status")
    status.get_by_text("“www” is reserved").wait_for()
    page.get_by_label("Portal address").fill("browser-clinic")
    status.get_by_text("browser-clinic is available").wait_for()
    page.get_by_label("Your first name").fill("Bea")
    page.get_by_label("Your last name").fill("Browser")
    page.get_by_label("Your email").fill("bea@browser-clinic.example.com")
    page.get_by_label("Password").fill("a-sturdy-passphrase-42")
    page.get_by_role("button", name="Create my portal").click()

    page.wait_for_url(f"http://browser-clinic.localhost:{portal_server}/staff/")
    assert page.get_by_role("heading", name="Browser Clinic").is_visible()
    assert page.get_by_text("Your portal is ready").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
