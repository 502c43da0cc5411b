"""Shared documents and client uploads through the pages: direct-to-S3 uploads (real HTTP to the
moto server), verification, the email, audit, staff notifications, roles and downloads."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.test import Client as Browser
from django.test import override_settings
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.documents.models import ClientUpload, FileState, ScanState, SharedDocument
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tests.cast import Cast, PracticeCast
from tests.integration.storage.test_scan import EICAR
from tests.support.documents import (
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    json_headers,
    keys_of,
    object_exists,
    portal_client,
    post_to_s3,
    upload_through_slot,
)

pytestmark = pytest.mark.django_db

CANARY_FILE = "canary-zebra-diagnosis.pdf"
CANARY_MESSAGE = "canary-okapi message about the session"


def _share(
    practice: PracticeCast,
    browser: Browser,
    client: Client,
    content: bytes = PDF_BYTES,
    *,
    filename: str = CANARY_FILE,
    message: str = CANARY_MESSAGE,
    announce_size: bool = True,
) -> tuple[Any, Any]:
    """Share through the staff page's form (see `upload_through_slot`)."""
    return upload_through_slot(
        browser,
        f"/staff/clients/{client.pk}/documents/share/",
        content,
        fields={"filename": filename, "message": message},
        announce_size=announce_size,
    )


def _upload(
    browser: Browser, content: bytes, filename: str, *, announce_size: bool = True
) -> tuple[Any, Any]:
    """Upload through the client's My uploads form (see `upload_through_slot`)."""
    return upload_through_slot(
        browser,
        "/documents/uploads/new/",
        content,
        fields={"filename": filename},
        announce_size=announce_size,
    )


def _audit(practice: PracticeCast, action: str) -> list[AuditEntry]:
    with practice.schema():
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def dana(cast: Cast) -> tuple[Client, Browser]:
    return portal_client(cast.a)


# --- Sharing ------------------------------------------------------------------------------------
def test_owner_shares_a_pdf_client_is_emailed_without_name_or_message(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    data, confirmed = _share(cast.a, staff, client)
    assert confirmed.status_code == 200
    assert confirmed.json() == {"redirect": f"/staff/clients/{client.pk}/documents/"}
    upload_key = data["upload"]["fields"]["key"]
    with cast.a.schema():
        document = SharedDocument.objects.get()
    # The checked version was sealed under a fresh key; the upload key is gone.
    key = document.s3_key
    assert key != upload_key
    for each in (key, upload_key):
        assert re.fullmatch(
            rf"practices/{cast.a.practice.uuid}/shared-documents/[0-9a-f-]{{36}}", each
        )
    assert object_exists(key)
    assert not object_exists(upload_key)
    with cast.a.schema():
        assert (document.state, document.content_type, document.size_bytes) == (
            FileState.READY,
            "application/pdf",
            len(PDF_BYTES),
        )
        assert document.shared_at is not None
        (email,) = OutboundEmail.objects.filter(kind="document_shared")
    assert email.to_email == "dana.docs@example.org"
    for canary in (CANARY_FILE, "zebra", CANARY_MESSAGE, "okapi", key):
        assert canary not in email.body_text
        assert canary not in email.subject
    assert "/documents/shared/" in email.body_text
    (shared,) = _audit(cast.a, "document.shared")
    assert shared.object_id == str(document.pk)
    assert shared.actor_id == cast.a.owner.pk
    assert CANARY_FILE not in str(shared.detail)
    # Listed for staff and the client, with the message in the portal only.
    tab = staff.get(f"/staff/clients/{client.pk}/documents/")
    assert CANARY_FILE.encode() in tab.content
    portal = client_browser.get("/documents/shared/")
    assert CANARY_FILE.encode() in portal.content
    assert CANARY_MESSAGE.encode() in portal.content
    # Confirming again changes nothing (no second email).
    assert staff.post(data["confirm_url"], **json_headers()).status_code == 200
    with cast.a.schema():
        assert OutboundEmail.objects.filter(kind="document_shared").count() == 1


def test_share_without_javascript_says_so_and_writes_nothing(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, _ = dana
    staff = cast.a.signed_in(cast.a.owner)
    response = staff.post(f"/staff/clients/{client.pk}/documents/share/", {"message": "hi"})
    assert response.status_code == 302
    page = staff.get(response["Location"])
    assert b"Uploading a file needs JavaScript" in page.content
    with cast.a.schema():
        assert SharedDocument.objects.count() == 0


def test_staff_download_is_audited_and_redirects_to_a_short_attachment_link(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    data, _ = _share(cast.a, staff, client)
    with cast.a.schema():
        document = SharedDocument.objects.get()
    path = f"/staff/clients/{client.pk}/documents/shared/{document.pk}/download/"
    for _ in range(2):
        response = staff.get(path)
        assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert query["response-content-type"] == ["application/pdf"]
    assert requests.get(response["Location"], timeout=10).content == PDF_BYTES
    downloads = _audit(cast.a, "document.downloaded")
    assert [(entry.actor_id, entry.object_id) for entry in downloads] == [
        (cast.a.owner.pk, str(document.pk))
    ] * 2
    # The client's download is audited too.
    assert client_browser.get(f"/documents/shared/{document.pk}/download/").status_code == 302
    assert len(_audit(cast.a, "document.downloaded")) == 3
    assert data


def test_unshare_hides_the_document_and_deletes_its_object(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    data, _ = _share(cast.a, staff, client)
    with cast.a.schema():
        document = SharedDocument.objects.get()
    key = document.s3_key
    assert data["upload"]["fields"]["key"] != key
    response = staff.post(f"/staff/clients/{client.pk}/documents/shared/{document.pk}/unshare/")
    assert response.status_code == 302
    assert not object_exists(key)
    assert CANARY_FILE.encode() not in client_browser.get("/documents/shared/").content
    assert client_browser.get(f"/documents/shared/{document.pk}/download/").status_code == 404
    path = f"/staff/clients/{client.pk}/documents/shared/{document.pk}/download/"
    assert staff.get(path).status_code == 302  # back to the tab with a message, no link
    assert "amazonaws" not in staff.get(path)["Location"]
    assert [entry.object_id for entry in _audit(cast.a, "document.unshared")] == [str(document.pk)]
    assert _audit(cast.a, "document.downloaded") == []


# --- Rejections ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (EXE_BYTES, "invoice.pdf", "This type of file is not accepted"),
        (HTML_BYTES, "photo.png", "does not match its name"),
        (PDF_BYTES + b"x" * 3000, "big.pdf", "larger than the limit"),
    ],
)
def test_rejected_uploads_leave_no_object_and_no_visible_row(
    cast: Cast, dana: tuple[Client, Browser], content: bytes, filename: str, reason: str
) -> None:
    client, client_browser = dana
    before = keys_of(cast.a)
    with override_settings(PORTICO_UPLOAD_MAX_BYTES=2048):
        data, confirmed = _upload(client_browser, content, filename, announce_size=False)
        assert confirmed.status_code == 400
        assert reason in confirmed.json()["error"]
        shared_data, shared = _share(
            cast.a,
            cast.a.signed_in(cast.a.owner),
            client,
            content,
            filename=filename,
            announce_size=False,
        )
        assert shared.status_code == 400
    assert keys_of(cast.a) == before
    assert not object_exists(data["upload"]["fields"]["key"])
    assert not object_exists(shared_data["upload"]["fields"]["key"])
    owner_tab = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{client.pk}/documents/")
    assert filename.encode() not in owner_tab.content
    assert filename.encode() not in client_browser.get("/documents/uploads/").content
    assert filename.encode() not in client_browser.get("/documents/shared/").content
    api = cast.a.signed_in(cast.a.owner).get(f"/api/v1/clients/{client.pk}/documents/")
    assert api.json() == {"shared": [], "uploads": []}
    with cast.a.schema():
        assert StaffNotification.objects.count() == 0
        assert OutboundEmail.objects.filter(kind="document_shared").count() == 0
        (rejected,) = ClientUpload.objects.all()
        assert rejected.state == FileState.REJECTED
        assert reason in rejected.rejected_reason


def test_expired_upload_slot_is_refused_and_its_object_deleted(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    _, client_browser = dana
    slot = client_browser.post(
        "/documents/uploads/new/", {"filename": "late.pdf"}, **json_headers()
    ).json()
    post_to_s3(slot["upload"], PDF_BYTES)
    assert object_exists(slot["upload"]["fields"]["key"])
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=5)):
        confirmed = client_browser.post(slot["confirm_url"], **json_headers())
    assert confirmed.status_code == 400
    assert "expired" in confirmed.json()["error"]
    assert not object_exists(slot["upload"]["fields"]["key"])
    with cast.a.schema():
        assert ClientUpload.objects.get().state == FileState.REJECTED
        assert StaffNotification.objects.count() == 0


def test_slot_refuses_names_of_types_not_accepted_before_any_upload(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    _, client_browser = dana
    response = client_browser.post(
        "/documents/uploads/new/", {"filename": "setup.exe"}, **json_headers()
    )
    assert response.status_code == 400
    with override_settings(PORTICO_UPLOAD_MAX_BYTES=100):
        response = client_browser.post(
            "/documents/uploads/new/", {"filename": "a.pdf", "size": 101}, **json_headers()
        )
    assert response.status_code == 400
    with cast.a.schema():
        assert ClientUpload.objects.count() == 0


# --- Client uploads -----------------------------------------------------------------------------
def test_client_upload_reaches_owner_and_clinician_marked_not_scanned(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, client_browser = dana
    data, confirmed = _upload(client_browser, PNG_BYTES, "insurance card.png")
    assert confirmed.status_code == 200
    assert confirmed.json() == {"redirect": "/documents/uploads/"}
    with cast.a.schema():
        upload = ClientUpload.objects.get()
        assert (upload.state, upload.scan_state, upload.content_type) == (
            FileState.READY,
            ScanState.NOT_SCANNED,
            "image/png",
        )
        notes = list(StaffNotification.objects.order_by("recipient_id"))
    assert cast.a.clinician is not None
    assert [(n.recipient_id, n.kind, n.client_id, n.link) for n in notes] == [
        (
            user.pk,
            StaffNotificationKind.CLIENT_UPLOAD,
            client.pk,
            f"/staff/clients/{client.pk}/documents/#upload-{upload.pk}",
        )
        for user in sorted([cast.a.owner, cast.a.clinician], key=lambda u: u.pk)
    ]
    (received,) = _audit(cast.a, "upload.received")
    assert received.object_id == str(upload.pk)
    assert b"insurance card.png" in client_browser.get("/documents/uploads/").content
    for staff in (cast.a.owner, cast.a.clinician):
        tab = cast.a.signed_in(staff).get(f"/staff/clients/{client.pk}/documents/")
        assert b"Uploaded by the client" in tab.content
        assert b"insurance card.png" in tab.content
        assert b"Not scanned" in tab.content
        path = f"/staff/clients/{client.pk}/documents/uploads/{upload.pk}/download/"
        assert cast.a.signed_in(staff).get(path).status_code == 302
    assert [e.actor_id for e in _audit(cast.a, "upload.downloaded")] == [
        cast.a.owner.pk,
        cast.a.clinician.pk,
    ]
    assert data


def test_uploads_off_means_no_page_and_no_slot(cast: Cast) -> None:
    _, browser = portal_client(cast.a, uploads=False)
    assert browser.get("/documents/uploads/").status_code == 404
    assert browser.post("/documents/uploads/new/", {"filename": "a.pdf"}).status_code == 404
    shared = browser.get("/documents/shared/")
    assert shared.status_code == 200
    assert b'href="/documents/uploads/"' not in shared.content
    with cast.a.schema():
        assert ClientUpload.objects.count() == 0


def test_documents_nav_links_forms_shared_and_uploads(dana: tuple[Client, Browser]) -> None:
    _, browser = dana
    page = browser.get("/documents/shared/").content
    for href in (
        b'href="/documents/"',
        b'href="/documents/shared/"',
        b'href="/documents/uploads/"',
    ):
        assert href in page


# --- Roles --------------------------------------------------------------------------------------
def test_admin_shares_files_but_never_sees_client_uploads(
    cast: Cast, dana: tuple[Client, Browser], admin_a: User
) -> None:
    client, client_browser = dana
    _upload(client_browser, PDF_BYTES, "journal.pdf")
    with cast.a.schema():
        upload = ClientUpload.objects.get()
    admin = cast.a.signed_in(admin_a)
    _, confirmed = _share(cast.a, admin, client)
    assert confirmed.status_code == 200
    tab = admin.get(f"/staff/clients/{client.pk}/documents/")
    assert CANARY_FILE.encode() in tab.content
    assert b"journal.pdf" not in tab.content
    assert b"Uploaded by the client" not in tab.content
    path = f"/staff/clients/{client.pk}/documents/uploads/{upload.pk}/download/"
    assert admin.get(path).status_code == 404
    api = admin.get(f"/api/v1/clients/{client.pk}/uploads/{upload.pk}/download/")
    assert api.status_code == 404
    assert admin.get(f"/api/v1/clients/{client.pk}/documents/").json()["uploads"] is None
    assert _audit(cast.a, "upload.downloaded") == []


def test_unassigned_clinician_gets_404_everywhere(
    cast: Cast, dana: tuple[Client, Browser], make_client: Any
) -> None:
    client, _ = dana
    other = make_client(first_name="Uma", last_name="Unassigned", email="uma.docs@example.org")
    assert cast.a.clinician is not None
    clinician = cast.a.signed_in(cast.a.clinician)
    assert clinician.get(f"/staff/clients/{other.pk}/documents/").status_code == 404
    response = clinician.post(
        f"/staff/clients/{other.pk}/documents/share/", {"filename": "a.pdf"}, **json_headers()
    )
    assert response.status_code == 404
    with cast.a.schema():
        assert SharedDocument.objects.count() == 0
    assert clinician.get(f"/staff/clients/{client.pk}/documents/").status_code == 200


# --- Query counts -------------------------------------------------------------------------------
def _ready_rows(practice: PracticeCast, client: Client, count: int) -> None:
    """Ready rows straight in the table: this test counts queries, not uploads."""
    with practice.schema():
        for number in range(count):
            SharedDocument.objects.create(
                client=client,
                s3_key=f"practices/{practice.practice.uuid}/shared-documents/{uuid.uuid4()}",
                original_filename=f"doc-{number}.pdf",
                content_type="application/pdf",
                size_bytes=10,
                state=FileState.READY,
                shared_by=practice.owner,
                shared_at=timezone.now(),
                upload_expires_at=timezone.now(),
            )
            ClientUpload.objects.create(
                client=client,
                s3_key=f"practices/{practice.practice.uuid}/client-uploads/{uuid.uuid4()}",
                original_filename=f"up-{number}.pdf",
                content_type="application/pdf",
                size_bytes=10,
                state=FileState.READY,
                upload_expires_at=timezone.now(),
                ready_at=timezone.now(),
            )


def test_documents_tab_and_portal_lists_take_a_fixed_number_of_queries(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    pages = [
        (staff, f"/staff/clients/{client.pk}/documents/"),
        (client_browser, "/documents/shared/"),
        (client_browser, "/documents/uploads/"),
    ]

    def counts() -> list[int]:
        result = []
        for browser, path in pages:
            with CaptureQueriesContext(connection) as queries:
                assert browser.get(path).status_code == 200
            result.append(len(queries))
        return result

    _ready_rows(cast.a, client, 1)
    counts()  # warm: the first requests also fill the host and session caches
    one = counts()
    _ready_rows(cast.a, client, 5)
    assert counts() == one


# --- Virus scan ---------------------------------------------------------------------------------
def test_client_upload_is_scanned_when_clamd_is_configured(
    cast: Cast, dana: tuple[Client, Browser], clamd_unix: str
) -> None:
    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    with override_settings(PORTICO_CLAMD=clamd_unix):
        _, clean = _upload(client_browser, PDF_BYTES, "clean.pdf")
        assert clean.status_code == 200
        data, infected = _upload(client_browser, PDF_BYTES + EICAR, "infected.pdf")
    assert infected.status_code == 400
    assert infected.json() == {"error": "The virus scan found a threat in this file."}
    assert not object_exists(data["upload"]["fields"]["key"])
    with cast.a.schema():
        rows = {row.original_filename: row for row in ClientUpload.objects.all()}
        assert (rows["clean.pdf"].state, rows["clean.pdf"].scan_state) == ("ready", "clean")
        assert (rows["infected.pdf"].state, rows["infected.pdf"].scan_state) == (
            "rejected",
            "infected",
        )
        # One notification per recipient, for the clean file only.
        assert StaffNotification.objects.count() == 2
    tab = staff.get(f"/staff/clients/{client.pk}/documents/").content
    assert b"clean.pdf" in tab
    assert b"infected.pdf" not in tab
    assert b"Not scanned" not in tab


def test_posting_again_to_the_upload_form_cannot_replace_a_checked_file(
    cast: Cast, dana: tuple[Client, Browser]
) -> None:
    client, client_browser = dana
    staff = cast.a.signed_in(cast.a.owner)
    data, confirmed = _share(cast.a, staff, client)
    assert confirmed.status_code == 200
    # The presigned POST is still valid for minutes: the same form, other bytes.
    assert post_to_s3(data["upload"], EXE_BYTES) == 204
    with cast.a.schema():
        document = SharedDocument.objects.get()
    link = client_browser.get(f"/documents/shared/{document.pk}/download/")["Location"]
    assert requests.get(link, timeout=10).content == PDF_BYTES
