"""Files both ways in a real browser, on the demo practice: the owner shares a PDF from the
client's Documents tab (the page's script posts it straight to S3, then confirms); the client
downloads it from Shared with me and uploads a file from My uploads; the owner sees it under
"Uploaded by the client", marked "Not scanned".

No django_db (the live server commits what the browser does): the test removes what it made,
rows and S3 objects.
"""

from __future__ import annotations

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
    demo_object_keys,
    demo_objects_delete_except,
    demo_practice,
    invitation_path,
    owner_adds_client,
    setup_and_invite,
    sign_in,
)

pytestmark = pytest.mark.browser

EMAIL = "dora.documents@example.org"
PASSWORD = "a-paper-boat-passphrase-52"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def removes_the_client(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        keys_before = demo_object_keys()
    yield
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        # Cascades to portal access, invitations, documents, uploads and notifications.
        demo_client_remove(EMAIL)
        OutboundEmail.objects.filter(to_email=EMAIL).delete()
        demo_objects_delete_except(keys_before)


def test_owner_shares_a_pdf_and_the_client_downloads_it_and_uploads_a_file(
    portal_server: str,
    page: Page,
    chromium: Browser,
    removes_the_client: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    staff = page
    sign_in(staff, base, *DEMO_OWNER)
    client_page_url = owner_adds_client(staff, base, "Dora", "Documents", EMAIL)
    setup_and_invite(staff, check=["Client uploads"])
    staff.goto(client_page_url)
    staff.get_by_role("link", name="Documents tab").click()
    staff.get_by_label("File to share").set_input_files(
        {"name": "treatment-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    staff.get_by_label("Message (optional)").fill("Please read before Tuesday.")
    staff.get_by_role("button", name="Upload and share").click()
    staff.get_by_text("Document shared with the client.").wait_for()
    assert staff.get_by_role("link", name="treatment-plan.pdf").is_visible()

    client_context = chromium.new_context()
    try:
        client = client_context.new_page()
        client_accepts_invitation(client, base, invitation_path(django_db_blocker, EMAIL), PASSWORD)
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

    staff.reload()
    uploads = staff.locator("table").nth(1)
    assert staff.get_by_role("heading", name="Uploaded by the client").is_visible()
    assert uploads.get_by_role("link", name="insurance-card.png").is_visible()
    assert uploads.get_by_text("Not scanned").is_visible()
