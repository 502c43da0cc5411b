"""Helpers for the documents tests: a client of a practice with portal access and uploads on,
signed in like a person; files posted to the presigned POST over real HTTP like a browser does;
and a look at what the bucket holds."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import requests
from django.conf import settings
from django.test import Client as Browser

from storage.client import s3_client
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tests.cast import PracticeCast
from tests.support.invitations import accept, emails, invitation_token
from tests.support.storage import keys_of  # noqa: F401 - documents tests take it here

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
HTML_BYTES = b"<!doctype html><html><script>alert(1)</script></html>"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def make_client(practice: PracticeCast, *, first: str, last: str, email: str) -> Client:
    with practice.schema():
        return client_create(
            actor=practice.owner,
            data=ClientData(
                first_name=first, last_name=last, email=email, clinician=practice.clinician
            ),
        )


def portal_client(
    practice: PracticeCast,
    *,
    first: str = "Dana",
    last: str = "Docsworth",
    email: str = "dana.docs@example.org",
    uploads: bool = True,
) -> tuple[Client, Browser]:
    """A client of `practice` invited through the setup wizard (client uploads on or off) and
    signed in by accepting the invitation; returns the record and the client's browser."""
    client = make_client(practice, first=first, last=last, email=email)
    staff = practice.signed_in(practice.owner)
    choices = {"client_uploads": "on"} if uploads else {}
    response = staff.post(f"/staff/clients/{client.pk}/setup/access/", choices)
    assert response.status_code == 302, response
    browser = accept(practice, invitation_token(emails(practice, "client_invitation")[-1]))
    with practice.schema():
        client.refresh_from_db()
    return client, browser


def post_to_s3(upload: dict[str, Any], content: bytes, filename: str = "file.bin") -> int:
    """Post `content` to the presigned POST as a browser's form would; the HTTP status."""
    response = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": (filename, content, "application/octet-stream")},
        timeout=30,
    )
    return response.status_code


def object_exists(key: str) -> bool:
    listed = s3_client().list_objects_v2(Bucket=settings.PORTICO_S3_BUCKET, Prefix=key)
    return any(item["Key"] == key for item in listed.get("Contents", []))


def json_headers() -> dict[str, Any]:
    return {"HTTP_ACCEPT": "application/json"}


def upload_through_slot(
    browser: Browser,
    slot_url: str,
    content: bytes,
    *,
    fields: dict[str, str],
    announce_size: bool = True,
) -> tuple[Any, Any]:
    """Drive an upload form like web/direct-upload.js: ask `slot_url` for a slot with `fields`,
    post `content` to S3, confirm; (the slot's JSON, the confirm response). Without
    `announce_size` the slot request leaves the size out, as a crafted client may."""
    if announce_size:
        fields = {**fields, "size": str(len(content))}
    slot = browser.post(slot_url, fields, **json_headers())
    assert slot.status_code == 200, slot.content
    data = slot.json()
    assert post_to_s3(data["upload"], content) == 204
    return data, browser.post(data["confirm_url"], **json_headers())
