"""Steps that several browser journeys take on the demo practice: signing in, the owner adding a
client and inviting them through the setup wizard, the client setting a password from the
invitation email, and removing what a journey made (rows and S3 objects).

Pages are Playwright pages (typed `Any`: Playwright's sync API is imported lazily by the
`chromium` fixture). Database work runs inside `django_db_blocker.unblock()`, by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from shared_apps.accounts.models import User
from shared_apps.tenancy.models import Practice
from storage.client import s3_client
from storage.objects import object_keys, practice_prefix
from tenant_apps.accounts.services import account_sessions_end
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail

#: The wizard's onboarding steps, all ticked by default.
ONBOARDING_STEPS = ("Demographics", "Emergency contact", "Insurance")


def demo_practice() -> Practice:
    return Practice.objects.get(domains__domain="demo.localhost")


def fill_sign_in(page: Page, email: str, password: str) -> None:
    """On the sign-in form (wherever the browser was sent to it): type and submit."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(
    page: Page, base: str, email: str, password: str, *, then: str | re.Pattern[str] = "/staff/"
) -> None:
    """Sign in from the sign-in page and wait until the browser lands on `then` (a path under
    `base`, or a pattern of the whole address)."""
    page.goto(f"{base}/sign-in/")
    fill_sign_in(page, email, password)
    page.wait_for_url(f"{base}{then}" if isinstance(then, str) else then)


def owner_adds_client(page: Page, base: str, first: str, last: str, email: str) -> str:
    """Signed-in staff add a client from the new-client page; the address of the client's page."""
    page.goto(f"{base}/staff/clients/new/")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Add client").click()
    return str(page.url)


def setup_and_invite(
    page: Page, *, check: Sequence[str] = (), uncheck: Sequence[str] = ONBOARDING_STEPS
) -> None:
    """From a page with "Start setup" on it: confirm the details, tick `check` and untick
    `uncheck` on the access step, and send the invitation."""
    page.get_by_role("link", name="Start setup").click()
    page.get_by_role("link", name="The details are right: continue").click()
    for label in check:
        page.get_by_label(label).check()
    for label in uncheck:
        page.get_by_label(label).uncheck()
    page.get_by_role("button", name="Send invitation and continue").click()
    page.get_by_text("Invitation sent.").wait_for()


def invitation_path(django_db_blocker: DjangoDbBlocker, email: str) -> str:
    """The path of the link in the latest invitation email sent to `email`."""
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        sent = OutboundEmail.objects.filter(to_email=email, kind="client_invitation").latest("pk")
    match = re.search(r"https?://[^/\s]+(/invitation/[A-Za-z0-9_-]+/)", sent.body_text)
    assert match is not None
    return match.group(1)


def client_accepts_invitation(page: Page, base: str, path: str, password: str) -> None:
    """The client opens the invitation link (landing on the welcome page) and sets a password."""
    page.goto(f"{base}{path}")
    page.wait_for_url(f"{base}/welcome/")
    page.get_by_label("New password:", exact=True).fill(password)
    page.get_by_label("New password again:", exact=True).fill(password)
    page.get_by_role("button", name="Set my password").click()


def demo_object_keys() -> set[str]:
    """The keys of every S3 object under the demo practice's prefix."""
    return {key for key, _ in object_keys(practice_prefix(demo_practice().uuid))}


def demo_objects_delete_except(keys_before: set[str]) -> None:
    """Delete the demo practice's S3 objects that are not in `keys_before`."""
    for key in demo_object_keys() - keys_before:
        s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)


def demo_client_remove(email: str) -> None:
    """In the demo practice's schema: end the sessions of the client account with `email`, then
    delete the client (cascading to everything of theirs) and the account: the client first, as a
    signature protects its signer."""
    for account in User.objects.filter(email=email):
        account_sessions_end(user=account)
    Client.objects.filter(email=email).delete()
    User.objects.filter(email=email).delete()
