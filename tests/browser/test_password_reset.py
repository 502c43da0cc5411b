"""Forgot password, in a real browser: the link from the email leads to a form that the browser
can post (a `no-referrer` form page would be posted with `Origin: null`, and refused as CSRF)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from shared_apps.accounts.models import User, UserKind
from tenant_apps.notifications.models import OutboundEmail
from tests.support.browser import demo_practice, fill_sign_in

pytestmark = pytest.mark.browser

EMAIL = "rory.resetter@example.org"
NEW_PASSWORD = "a-brand-new-lantern-phrase-5"


@pytest.fixture
def client_account(portal_server: str, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        User.objects.create_user(EMAIL, "an-old-forgotten-phrase-1", kind=UserKind.CLIENT)
    yield
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        OutboundEmail.objects.filter(to_email=EMAIL).delete()
        User.objects.filter(email=EMAIL).delete()


def test_a_client_resets_a_forgotten_password_and_signs_in(
    portal_server: str,
    page: Page,
    client_account: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    page.goto(f"{base}/sign-in/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Send reset link").click()

    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        body = OutboundEmail.objects.get(to_email=EMAIL, kind="password_reset").body_text
    match = re.search(r"https?://[^/\s]+(/reset-password/[\w-]+/)", body)
    assert match is not None
    page.goto(f"{base}{match.group(1)}")
    page.wait_for_url(f"{base}/reset-password/")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    page.wait_for_url(f"{base}/sign-in/")

    fill_sign_in(page, EMAIL, NEW_PASSWORD)
    page.wait_for_url(f"{base}/")
