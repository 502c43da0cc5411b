"""Forms and documents in a real browser, on the demo practice: the owner shares the intake
questionnaire (with the consent form and the GAD-7) and a PDF with a client; the client fills the
intake, closes the tab midway, comes back to the draft, finishes and submits it, signs the consent
form, answers the GAD-7, downloads the completed intake as a PDF and the shared PDF, and uploads a
file; the owner sees the submissions with the score and the signature evidence (verified intact)
and the upload under "Uploaded by the client".

No django_db (the live server commits what the browser does): the test removes what it made,
rows and S3 objects (the append-only audit log keeps its rows, as for every browser test).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Locator, Page
from pytest_django import DjangoDbBlocker

from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
from tenant_apps.forms.models import FormSubmission, SignatureEvidence
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

EMAIL = "fern.formfiller@example.org"
PASSWORD = "a-quiet-harbour-passphrase-17"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TXT = b"Letter from my previous therapist.\n"
REASON = "Trouble sleeping since the move"


@pytest.fixture
def removes_the_client(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        keys_before = demo_object_keys()
        with schema_context(demo_practice().schema_name):
            last_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
    yield
    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        # Cascades to portal access, invitations, shares, submissions, signature evidence,
        # documents, uploads and notifications.
        demo_client_remove(EMAIL)
        OutboundEmail.objects.filter(pk__gt=last_email or 0).delete()
        demo_objects_delete_except(keys_before)


def _owner_shares_forms_and_a_pdf(staff: Page, client_page_url: str) -> None:
    staff.goto(client_page_url)
    staff.get_by_role("link", name="Portal tab").click()
    staff.get_by_role("link", name="Manage documentation").click()
    for title in ("Intake questionnaire", "Informed consent", "GAD-7 (anxiety)"):
        staff.get_by_label(title).check()
    staff.get_by_role("button", name="Save").click()
    # The setup wizard may already have requested some of them (the practice's defaults).
    staff.get_by_text(re.compile(r"^\d shared")).wait_for()

    staff.goto(client_page_url)
    staff.get_by_role("link", name="Documents tab").click()
    staff.get_by_label("File to share").set_input_files(
        {"name": "welcome-pack.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    staff.get_by_role("button", name="Upload and share").click()
    staff.get_by_text("Document shared with the client.").wait_for()


def _question(page: Page, text: str) -> Locator:
    """The fieldset of one question, found by its legend's text."""
    return page.locator("fieldset", has=page.locator("legend", has_text=text))


def test_client_fills_signs_and_downloads_and_the_owner_sees_it_all(  # noqa: PLR0915 - one journey
    portal_server: str,
    page: Page,
    chromium: Browser,
    removes_the_client: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    base = f"http://demo.localhost:{portal_server}"
    staff = page
    sign_in(staff, base, *DEMO_OWNER)
    client_page_url = owner_adds_client(staff, base, "Fern", "Formfiller", EMAIL)
    setup_and_invite(staff, check=["Client uploads"])
    _owner_shares_forms_and_a_pdf(staff, client_page_url)

    client_context = chromium.new_context(accept_downloads=True)
    try:
        client = client_context.new_page()
        client_accepts_invitation(client, base, invitation_path(django_db_blocker, EMAIL), PASSWORD)
        # Home, or Documents & forms when forms were requested in the setup wizard.
        client.wait_for_url(re.compile(rf"{re.escape(base)}/(documents/)?$"))

        # The intake: start, let the draft save, close the tab midway.
        client.goto(f"{base}/")
        client.get_by_role("link", name="Documents & forms").click()
        client.get_by_role("link", name="Intake questionnaire").click()
        client.get_by_label("What brings you to therapy?").fill(REASON)
        _question(client, "seen a therapist").get_by_label("No").check()
        client.get_by_text(re.compile(r"Draft saved at \d\d:\d\d")).wait_for()
        client.close()

        # Back in a new tab: the draft is there; finish and submit.
        client = client_context.new_page()
        client.goto(f"{base}/documents/")
        client.get_by_role("link", name="Intake questionnaire").click()
        assert client.get_by_label("What brings you to therapy?").input_value() == REASON
        assert _question(client, "seen a therapist").get_by_label("No").is_checked()
        _question(client, "concerns for you").get_by_label("Mood").check()
        client.get_by_role("button", name="Submit", exact=True).click()
        client.get_by_text("Thank you: “Intake questionnaire” is submitted.").wait_for()

        # The consent form: sign by drawing on the pad.
        client.get_by_role("link", name="Informed consent").click()
        client.get_by_role("button", name="Sign and submit").wait_for()
        _question(client, "consent to treatment").get_by_label("Yes").check()
        client.get_by_label("Your full name").fill("Fern Formfiller")
        canvas = client.locator("canvas")
        canvas.wait_for()
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None
        client.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
        client.mouse.down()
        for step in range(1, 8):
            client.mouse.move(box["x"] + 20 + step * 30, box["y"] + 20 + (step % 2) * 40)
        client.mouse.up()
        assert client.locator("#signature-drawn").input_value().startswith("data:image/png")
        client.get_by_role("button", name="Sign and submit").click()
        client.get_by_text("Thank you: “Informed consent” is submitted.").wait_for()

        # The GAD-7, scored.
        client.get_by_role("link", name="GAD-7 (anxiety)").click()
        for item in ("nervous", "stop or control", "too much", "relaxing", "restless"):
            _question(client, item).get_by_label("Not at all").check()
        for item in ("annoyed", "afraid"):
            _question(client, item).get_by_label("Several days").check()
        client.get_by_role("button", name="Submit", exact=True).click()
        client.get_by_text("Thank you: “GAD-7 (anxiety)” is submitted.").wait_for()

        # The completed intake as a PDF.
        with client.expect_download() as download_info:
            client.get_by_role("link", name="Download PDF of Intake questionnaire").click()
        download = download_info.value
        assert re.fullmatch(r"form-\d+\.pdf", download.suggested_filename)
        assert Path(download.path()).read_bytes().startswith(b"%PDF-")

        # The shared PDF, then an upload.
        client.get_by_role("link", name="Shared with me").click()
        with client.expect_download() as shared_info:
            client.get_by_role("link", name="welcome-pack.pdf").click()
        assert Path(shared_info.value.path()).read_bytes() == PDF
        client.get_by_role("link", name="My uploads").click()
        client.get_by_label("File to upload").set_input_files(
            {"name": "previous-letter.txt", "mimeType": "text/plain", "buffer": TXT}
        )
        client.get_by_role("button", name="Upload the file").click()
        client.get_by_text("Your file is uploaded. Thank you.").wait_for()
    finally:
        client_context.close()

    with django_db_blocker.unblock(), schema_context(demo_practice().schema_name):
        submissions = {
            row.share.form.title: row
            for row in FormSubmission.objects.select_related("share__form").filter(
                share__client__email=EMAIL
            )
        }
        evidence = SignatureEvidence.objects.get(submission__share__client__email=EMAIL)
    assert submissions["Intake questionnaire"].answers["reason"] == REASON
    assert evidence.typed_name == "Fern Formfiller"
    assert evidence.drawn_signature.startswith("data:image/png;base64,")

    # The owner: the Forms tab with the score, the evidence verified, the upload.
    staff.goto(f"{client_page_url}forms/")
    staff.get_by_text("2 — Minimal").wait_for()
    staff.get_by_role("link", name="Intake questionnaire").click()
    staff.get_by_text(REASON).wait_for()
    staff.go_back()
    staff.get_by_role("link", name="Evidence").click()
    staff.get_by_role("heading", name="Signature evidence record").wait_for()
    assert staff.get_by_text(evidence.answers_sha256).is_visible()
    staff.get_by_role("button", name="Verify the answers against the fingerprint").click()
    staff.get_by_text("Verified: intact.").wait_for()

    staff.goto(client_page_url)
    staff.get_by_role("link", name="Documents tab").click()
    assert staff.get_by_role("heading", name="Uploaded by the client").is_visible()
    assert staff.get_by_role("link", name="previous-letter.txt").is_visible()
