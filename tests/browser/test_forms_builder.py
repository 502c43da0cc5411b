"""The form builder in a real browser (htmx under the CSP): the demo owner starts a form, adds a
question, switches its type to single choice (the options box appears without a reload), moves it
up, saves, and finds the form in the list with the questions in that order.

No django_db (the live server commits what the browser does): the test deletes the form it made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from tenant_apps.forms.models import Form
from tests.support.browser import demo_practice, fill_sign_in

pytestmark = pytest.mark.browser

TITLE = "Browser-built check-in"


@pytest.fixture
def removes_the_form(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        Form.objects.filter(title=TITLE).delete()


def test_owner_builds_a_form_with_the_htmx_buttons(
    portal_server: str,
    page: Page,
    removes_the_form: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    page.goto(f"{base}/staff/forms/new/")
    fill_sign_in(page, *DEMO_OWNER)
    page.wait_for_url(f"{base}/staff/forms/new/")

    page.get_by_label("Title").fill(TITLE)
    page.locator("#f-0-label").fill("How was your week?")
    page.get_by_label("New question type").select_option("single_choice")
    page.get_by_role("button", name="Add question").click()
    page.locator("#f-1-label").wait_for()
    # Swapped in place by htmx, not a navigation.
    assert page.url == f"{base}/staff/forms/new/"
    page.locator("#f-1-label").fill("Mood")
    page.locator("#f-1-options").fill("Low\nOkay\nGood")
    # Changing a type re-renders the question (htmx on change): the range inputs appear.
    page.locator("#f-0-type").select_option("scale")
    page.locator("#f-0-min").wait_for()
    page.locator("#f-0-min").fill("1")
    page.locator("#f-0-max").fill("5")
    page.get_by_role("button", name="Move up question 2").click()
    # The page's CSP forbids eval (so no wait_for_function): wait for the re-rendered value.
    page.locator('#f-0-label[value="Mood"]').wait_for()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/staff/forms/")
    page.get_by_text("Form created.").wait_for()
    assert page.get_by_role("rowheader", name=TITLE).is_visible()

    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        form = Form.objects.get(title=TITLE)
        version = form.latest_version
    assert version is not None
    assert [(f["key"], f["type"]) for f in version.fields] == [
        ("mood", "single_choice"),
        ("how_was_your_week", "scale"),
    ]
    assert [o["label"] for o in version.fields[0]["options"]] == ["Low", "Okay", "Good"]
    assert (version.fields[1]["min"], version.fields[1]["max"]) == (1, 5)
