"""A staff member sees the notification bell update without reloading, and opens a notification."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings
from django_tenants.utils import schema_context
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER, DEMO_SUBDOMAIN
from shared_apps.accounts.models import User
from shared_apps.tenancy.models import Domain
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tenant_apps.staff_notifications.services import staff_notify
from tests.support.browser import sign_in

# No django_db: the live server reads committed rows; the notifications made here are removed.
pytestmark = pytest.mark.browser


@pytest.fixture
def demo_schema(portal_server: str, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    with django_db_blocker.unblock():
        schema = Domain.objects.get(domain__startswith=f"{DEMO_SUBDOMAIN}.").tenant.schema_name
        try:
            with override_settings(PORTICO_BELL_POLL_SECONDS=1):
                yield schema
        finally:
            with schema_context(schema):
                StaffNotification.objects.all().delete()


def test_the_bell_counts_up_without_a_reload_and_opens_the_notification(
    portal_server: str, page: Page, demo_schema: str, django_db_blocker: DjangoDbBlocker
) -> None:
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = f"http://{DEMO_SUBDOMAIN}.localhost:{portal_server}"
    sign_in(page, base, *DEMO_OWNER)
    bell = page.locator("#staff-bell")
    assert bell.inner_text().strip().endswith("Notifications")

    with django_db_blocker.unblock(), schema_context(demo_schema):
        owner = User.objects.get(email=DEMO_OWNER[0])
        staff_notify(
            recipients=[owner], kind=StaffNotificationKind.FORM_SIGNED, link="/staff/profile/"
        )
    page.locator("#staff-bell .bell-count").wait_for(timeout=10_000)
    assert page.locator("#staff-bell .bell-count").text_content() == "1 unread"
    assert page.url == f"{base}/staff/"  # no reload, no navigation

    page.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_url(f"{base}/staff/notifications/")
    page.get_by_role("link", name="A client signed a form").click()
    page.wait_for_url(f"{base}/staff/profile/")
    assert page.locator("#staff-bell .bell-count").count() == 0
    assert csp_errors == []
