"""Files both ways in a real browser, on the demo practice: the owner shares a PDF from the
client's Documents tab (the page's script posts it straight to S3, then confirms); the client
downloads it from Shared with me and uploads a file from My uploads; the owner sees it under
"Uploaded by the client", marked "Not scanned".

No django_db (the live server commits what the browser does): the test removes what it made,
rows and S3 objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from shared_apps.accounts.models import User
from shared_apps.tenancy.models import Practice
from storage.client import s3_client
from storage.objects import object_keys, practice_prefix
from tenant_apps.accounts.services import account_sessions_end
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail

pytestmark = pytest.mark.browser

EMAIL = "dora.documents@example.org"
PASSWORD = "a-paper-boat-passphrase-52"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _demo() -> Practice:
    return Practice.objects.get(domains__domain="demo.localhost")


@pytest.fixture
def removes_the_client(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        prefix = practice_prefix(_demo().uuid)
        keys_before = {key for key, _ in object_keys(prefix)}
    yield
    with django_db_blocker.unblock(), schema_context(_demo().schema_name):  # type: ignore[attr-defined]
        for account in User.objects.filter(email=EMAIL):
            account_sessions_end(user=account)
        # Cascades to portal access, invitations, documents, uploads and notifications.
        Client.objects.filter(email=EMAIL).delete()
        User.objects.filter(email=EMAIL).delete()
        OutboundEmail.objects.filter(to_email=EMAIL).delete()
        for key, _ in object_keys(prefix):
            if key not in keys_before:
                s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)


def _invitation_path(django_db_blocker: pytest.FixtureRequest) -> str:
    with django_db_blocker.unblock(), schema_context(_demo().schema_name):  # type: ignore[attr-defined]
        email = OutboundEmail.objects.filter(to_email=EMAIL, kind="client_invitation").latest("pk")
    match = re.search(r"https?://[^/\s]+(/invitation/[A-Za-z0-9_-]+/)", email.body_text)
    assert match is not None
    return match.group(1)


def _owner_adds_and_invites_dora(staff: object, base: str) -> str:
    """Sign in as the demo owner, add Dora and invite her with client uploads on; the address
    of her client page."""
    staff.goto(f"{base}/sign-in/")  # type: ignore[attr-defined]
    staff.get_by_label("Email").fill(DEMO_OWNER[0])  # type: ignore[attr-defined]
    staff.get_by_label("Password").fill(DEMO_OWNER[1])  # type: ignore[attr-defined]
    staff.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    staff.wait_for_url(f"{base}/staff/")  # type: ignore[attr-defined]
    staff.goto(f"{base}/staff/clients/new/")  # type: ignore[attr-defined]
    staff.get_by_label("First name").fill("Dora")  # type: ignore[attr-defined]
    staff.get_by_label("Last name").fill("Documents")  # type: ignore[attr-defined]
    staff.get_by_label("Email").fill(EMAIL)  # type: ignore[attr-defined]
    staff.get_by_role("button", name="Add client").click()  # type: ignore[attr-defined]
    client_page_url = staff.url  # type: ignore[attr-defined]
    staff.get_by_role("link", name="Start setup").click()  # type: ignore[attr-defined]
    staff.get_by_role("link", name="The details are right: continue").click()  # type: ignore[attr-defined]
    staff.get_by_label("Client uploads").check()  # type: ignore[attr-defined]
    for label in ("Demographics", "Emergency contact", "Insurance"):
        staff.get_by_label(label).uncheck()  # type: ignore[attr-defined]
    staff.get_by_role("button", name="Send invitation and continue").click()  # type: ignore[attr-defined]
    staff.get_by_text("Invitation sent.").wait_for()  # type: ignore[attr-defined]
    return str(client_page_url)


def test_owner_shares_a_pdf_and_the_client_downloads_it_and_uploads_a_file(
    portal_server: str,
    page: object,
    chromium: object,
    removes_the_client: None,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    staff = page
    client_page_url = _owner_adds_and_invites_dora(staff, base)
    staff.goto(client_page_url)  # type: ignore[attr-defined]
    staff.get_by_role("link", name="Documents tab").click()  # type: ignore[attr-defined]
    staff.get_by_label("File to share").set_input_files(  # type: ignore[attr-defined]
        {"name": "treatment-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    staff.get_by_label("Message (optional)").fill("Please read before Tuesday.")  # type: ignore[attr-defined]
    staff.get_by_role("button", name="Upload and share").click()  # type: ignore[attr-defined]
    staff.get_by_text("Document shared with the client.").wait_for()  # type: ignore[attr-defined]
    assert staff.get_by_role("link", name="treatment-plan.pdf").is_visible()  # type: ignore[attr-defined]

    client_context = chromium.new_context()  # type: ignore[attr-defined]
    try:
        client = client_context.new_page()
        client.goto(f"{base}{_invitation_path(django_db_blocker)}")
        client.get_by_label("New password:", exact=True).fill(PASSWORD)
        client.get_by_label("New password again:", exact=True).fill(PASSWORD)
        client.get_by_role("button", name="Set my password").click()
        # Wherever onboarding sends a new client first, the password is set once it leaves.
        client.wait_for_url(lambda url: "/welcome/" not in url)
        client.goto(f"{base}/documents/shared/")
        client.get_by_text("Please read before Tuesday.").wait_for()
        with client.expect_download() as download_info:
            client.get_by_role("link", name="treatment-plan.pdf").click()
        download = download_info.value
        assert download.suggested_filename == "treatment-plan.pdf"
        with open(download.path(), "rb") as downloaded:
            assert downloaded.read() == PDF

        client.get_by_role("link", name="My uploads").click()
        client.get_by_label("File to upload").set_input_files(
            {"name": "insurance-card.png", "mimeType": "image/png", "buffer": PNG}
        )
        client.get_by_role("button", name="Upload the file").click()
        client.get_by_text("Your file is uploaded. Thank you.").wait_for()
        assert client.get_by_text("insurance-card.png").is_visible()
    finally:
        client_context.close()

    staff.reload()  # type: ignore[attr-defined]
    uploads = staff.locator("table").nth(1)  # type: ignore[attr-defined]
    assert staff.get_by_role("heading", name="Uploaded by the client").is_visible()  # type: ignore[attr-defined]
    assert uploads.get_by_role("link", name="insurance-card.png").is_visible()
    assert uploads.get_by_text("Not scanned").is_visible()
