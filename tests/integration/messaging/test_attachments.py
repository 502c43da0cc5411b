"""Files sent with secure messages: straight to storage with a presigned POST, verified (size,
type by content, name agrees) before the message is saved, downloaded through an audited,
short-lived link by participants only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as Browser

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.messaging.models import AttachmentState, Message, MessageAttachment
from tests.cast import Cast
from tests.support.documents import EXE_BYTES, PDF_BYTES, post_to_s3
from tests.support.storage import clean_bucket, keys_of  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db


def _attach(browser: Browser, slot_url: str, content: bytes, filename: str) -> int:
    slot = browser.post(slot_url, {"filename": filename, "size": str(len(content))})
    assert slot.status_code == 200, slot.content
    data: dict[str, Any] = slot.json()
    assert post_to_s3(data["upload"], content, filename) == 204
    return int(data["attachment_id"])


def test_staff_send_a_pdf_and_the_client_downloads_it(cast: Cast, mara: Client) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    slot_url = f"/staff/clients/{mara.pk}/messages/attachments/"
    attachment_id = _attach(owner, slot_url, PDF_BYTES, "Care plan.pdf")
    sent = owner.post(
        f"/staff/clients/{mara.pk}/messages/",
        {"body": "Your plan is attached.", "attachment": str(attachment_id)},
    )
    assert sent.status_code == 302
    with cast.a.schema():
        attachment = MessageAttachment.objects.get(pk=attachment_id)
        message = Message.objects.get()
        assert attachment.s3_key.startswith(
            f"practices/{cast.a.practice.uuid}/message-attachments/"
        )
        assert "Care plan" not in attachment.s3_key
        assert (attachment.message, attachment.state, attachment.content_type) == (
            message,
            AttachmentState.READY,
            "application/pdf",
        )
        assert attachment.size_bytes == len(PDF_BYTES)

    client = cast.a.signed_in(mara.account)  # type: ignore[arg-type]
    page = client.get("/messages/")
    link = f'href="/messages/attachments/{attachment_id}/"'.encode()
    assert link in page.content
    assert b"Care plan.pdf" in page.content
    download = client.get(f"/messages/attachments/{attachment_id}/")
    assert download.status_code == 302
    assert "response-content-disposition=attachment" in download["Location"]
    with cast.a.schema():
        entry = AuditEntry.objects.get(action="message_attachment.downloaded")
        assert (entry.actor_id, entry.object_id) == (mara.account_id, str(attachment_id))


def test_a_disguised_file_is_refused_and_nothing_is_sent(cast: Cast, mara: Client) -> None:
    client = cast.a.signed_in(mara.account)  # type: ignore[arg-type]
    attachment_id = _attach(client, "/messages/attachments/", EXE_BYTES, "results.pdf")
    refused = client.post("/messages/", {"body": "See attached", "attachment": str(attachment_id)})
    assert refused.status_code == 400
    assert b"This type of file is not accepted." in refused.content
    with cast.a.schema():
        assert not Message.objects.exists()
        attachment = MessageAttachment.objects.get(pk=attachment_id)
        assert attachment.state == AttachmentState.REJECTED
        assert attachment.message is None
    assert not keys_of(cast.a)  # the object is deleted


def test_a_file_type_refused_by_name_gets_no_slot(cast: Cast, mara: Client) -> None:
    client = cast.a.signed_in(mara.account)  # type: ignore[arg-type]
    response = client.post("/messages/attachments/", {"filename": "setup.exe", "size": "10"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "This type of file is not accepted. Allowed: PDF, PNG, JPEG, HEIC, Word (.docx) "
        "and plain text."
    }
    with cast.a.schema():
        assert not MessageAttachment.objects.exists()


def test_someone_elses_slot_cannot_be_sent_nor_another_clients_file_read(
    cast: Cast, mara: Client, otto: Client
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    attachment_id = _attach(
        owner, f"/staff/clients/{otto.pk}/messages/attachments/", PDF_BYTES, "otto.pdf"
    )
    mara_browser = cast.a.signed_in(mara.account)  # type: ignore[arg-type]
    refused = mara_browser.post("/messages/", {"body": "Mine?", "attachment": str(attachment_id)})
    assert refused.status_code == 400
    assert b"A file to send was not found" in refused.content
    assert (
        owner.post(
            f"/staff/clients/{otto.pk}/messages/",
            {"body": "For Otto", "attachment": str(attachment_id)},
        ).status_code
        == 302
    )
    assert mara_browser.get(f"/messages/attachments/{attachment_id}/").status_code == 404
    # Through Mara's conversation the owner cannot reach Otto's file either.
    assert (
        owner.get(f"/staff/clients/{mara.pk}/messages/attachments/{attachment_id}/").status_code
        == 404
    )
    assert (
        owner.get(f"/staff/clients/{otto.pk}/messages/attachments/{attachment_id}/").status_code
        == 302
    )
    with cast.a.schema():
        assert list(Message.objects.values_list("body", flat=True)) == ["For Otto"]
