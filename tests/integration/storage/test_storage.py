"""storage/: keys, the guard, presigned POST/GET, verification by content, against moto's S3
server over real HTTP."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
from django.test import override_settings
from django.utils import timezone

from storage.guard import ForeignKeyRefused, key_guard
from storage.keys import practice_object_key
from storage.objects import practice_prefix
from storage.practice_objects import practice_object_delete, practice_object_range
from storage.presign import UPLOAD_CONTENT_TYPE, download_link, upload_form
from storage.sniff import DOCX, HEIC, JPEG, PDF, PNG, TEXT, sniff
from storage.verify import UploadRejected, object_seal, object_verify
from tests.cast import Cast, PracticeCast
from tests.support.documents import (
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    object_exists,
    post_to_s3,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def _put(content: bytes, *, max_bytes: int = 25 * 1024 * 1024) -> str:
    key = practice_object_key(area="tests")
    form = upload_form(key=key, max_bytes=max_bytes)
    assert post_to_s3(form.as_json(), content) == 204
    return key


def _policy(fields: dict[str, str]) -> dict[str, Any]:
    return json.loads(base64.b64decode(fields["policy"]))


# --- Keys and the guard -------------------------------------------------------------------------
def test_keys_are_practice_prefix_area_and_uuid4(in_practice_a: PracticeCast) -> None:
    key = practice_object_key(area="shared-documents")
    assert re.fullmatch(
        rf"practices/{in_practice_a.practice.uuid}/shared-documents/"
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        key,
    )
    with pytest.raises(ValueError, match="area"):
        practice_object_key(area="Intake Form.pdf")


def test_guard_accepts_own_keys_and_refuses_every_other(
    cast: Cast, in_practice_a: PracticeCast
) -> None:
    own = practice_object_key(area="tests")
    assert key_guard(own) == own
    b_prefix = practice_prefix(cast.b.practice.uuid)
    a_prefix = practice_prefix(cast.a.practice.uuid)
    for foreign in (
        f"{b_prefix}tests/0b6f2a9e-0000-4000-8000-000000000000",
        f"exports/{cast.a.practice.uuid}/x.zip",
        f"{a_prefix}../{b_prefix}tests/x",
        f"{a_prefix}tests//x",
        a_prefix,
        "",
        f"/{own}",
    ):
        with pytest.raises(ForeignKeyRefused):
            key_guard(foreign)


def test_guard_follows_the_connections_practice(cast: Cast, in_practice_b: PracticeCast) -> None:
    with pytest.raises(ForeignKeyRefused):
        key_guard(f"{practice_prefix(cast.a.practice.uuid)}tests/x")
    assert key_guard(f"{practice_prefix(cast.b.practice.uuid)}tests/x")


RESOLVED_UUID: list[uuid.UUID] = []


def resolved_uuid() -> uuid.UUID:
    """A stand-in for the function `PORTICO_STORAGE_PRACTICE_UUID` names."""
    return RESOLVED_UUID[0]


def test_guard_asks_the_configured_resolver_whose_prefix_it_is(
    cast: Cast, in_practice_a: PracticeCast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Storage imports no app: the practice comes from the function the setting names, so
    pointing it elsewhere moves the guard (and the keys) with it."""
    monkeypatch.setattr(f"{__name__}.RESOLVED_UUID", [cast.b.practice.uuid])
    with override_settings(PORTICO_STORAGE_PRACTICE_UUID=f"{__name__}.resolved_uuid"):
        with pytest.raises(ForeignKeyRefused):
            key_guard(f"{practice_prefix(cast.a.practice.uuid)}tests/x")
        assert practice_object_key(area="tests").startswith(practice_prefix(cast.b.practice.uuid))
    own = f"{practice_prefix(cast.a.practice.uuid)}tests/x"
    assert key_guard(own) == own


def test_no_presigned_url_nor_read_nor_delete_for_another_practices_key(
    cast: Cast, in_practice_a: PracticeCast
) -> None:
    b_key = f"{practice_prefix(cast.b.practice.uuid)}tests/0b6f2a9e-0000-4000-8000-000000000000"
    with pytest.raises(ForeignKeyRefused):
        upload_form(key=b_key, max_bytes=100)
    with pytest.raises(ForeignKeyRefused):
        download_link(key=b_key, filename="a.pdf", content_type=PDF)
    with pytest.raises(ForeignKeyRefused):
        practice_object_range(b_key, start=0, end=10)
    with pytest.raises(ForeignKeyRefused):
        practice_object_delete(b_key)
    with pytest.raises(ForeignKeyRefused):
        object_verify(key=b_key, filename="a.pdf")


# --- Presigned POST and GET ---------------------------------------------------------------------
def test_upload_form_policy_is_short_fixed_key_sized_encrypted(in_practice_a: PracticeCast) -> None:
    key = practice_object_key(area="tests")
    before = timezone.now()
    form = upload_form(key=key, max_bytes=1234)
    assert form.fields["key"] == key
    assert form.fields["Content-Type"] == UPLOAD_CONTENT_TYPE
    assert form.fields["x-amz-server-side-encryption"] == "AES256"
    policy = _policy(form.fields)
    expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
    assert expiration - before <= timedelta(minutes=10, seconds=1)
    assert form.expires_at - before <= timedelta(minutes=10, seconds=1)
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 1234] in conditions
    assert {"key": key} in conditions
    assert {"Content-Type": UPLOAD_CONTENT_TYPE} in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    with pytest.raises(ValueError, match="10 minutes"):
        upload_form(key=key, max_bytes=1234, expires_in=601)


def test_download_link_is_short_lived_attachment_with_encoded_name(
    in_practice_a: PracticeCast,
) -> None:
    key = _put(PDF_BYTES)
    url = download_link(key=key, filename='Ré "sumé"\r\n.pdf', content_type=PDF)
    query = parse_qs(urlsplit(url).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    disposition = query["response-content-disposition"][0]
    assert disposition == (
        "attachment; filename=\"R_ _sum__.pdf\"; filename*=UTF-8''R%C3%A9%20%22sum%C3%A9%22.pdf"
    )
    assert query["response-content-type"] == [PDF]
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert unquote(disposition.split("''")[1]) == 'Ré "sumé".pdf'


def test_objects_are_encrypted_at_rest(in_practice_a: PracticeCast) -> None:
    from django.conf import settings

    from storage.client import s3_client

    key = _put(PDF_BYTES)
    head = s3_client().head_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "AES256"


# --- Verification -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "filename", "content_type"),
    [
        (PDF_BYTES, "letter.pdf", PDF),
        (PNG_BYTES, "scan.PNG", PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 20, "photo.jpeg", JPEG),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "photo.heic", HEIC),
        (docx_bytes(), "report.docx", DOCX),
        ("Notes — café\n".encode(), "notes.txt", TEXT),
    ],
)
def test_allowed_types_are_accepted_by_content(
    in_practice_a: PracticeCast, content: bytes, filename: str, content_type: str
) -> None:
    key = _put(content)
    verified = object_verify(key=key, filename=filename)
    assert (verified.size, verified.content_type) == (len(content), content_type)


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (EXE_BYTES, "invoice.pdf", "This type of file is not accepted"),
        (HTML_BYTES, "photo.png", "does not match its name"),
        (zip_bytes(), "report.docx", "This type of file is not accepted"),
        (PDF_BYTES, "letter.exe", "does not match its name"),
        (b"text with a \x00 NUL", "notes.txt", "This type of file is not accepted"),
        (b"\xc3\x28 not utf-8", "notes.txt", "This type of file is not accepted"),
    ],
)
def test_disallowed_content_is_rejected(
    in_practice_a: PracticeCast, content: bytes, filename: str, reason: str
) -> None:
    key = _put(content)
    with pytest.raises(UploadRejected, match=reason):
        object_verify(key=key, filename=filename)


def test_size_is_enforced_by_verification_not_by_the_server(in_practice_a: PracticeCast) -> None:
    # moto ignores the policy's content-length-range: the object arrives, verification refuses.
    key = _put(PDF_BYTES + b"x" * 2000, max_bytes=1000)
    assert object_exists(key)
    with pytest.raises(UploadRejected, match="larger than the limit"):
        object_verify(key=key, filename="big.pdf", max_bytes=1000)
    with override_settings(PORTICO_UPLOAD_MAX_BYTES=1000), pytest.raises(UploadRejected):
        object_verify(key=key, filename="big.pdf")


def test_missing_object_is_rejected(in_practice_a: PracticeCast) -> None:
    with pytest.raises(UploadRejected, match="No file arrived"):
        object_verify(key=practice_object_key(area="tests"), filename="a.pdf")


def test_sniff_text_cut_inside_a_character_is_fine_unless_the_file_ends_there() -> None:
    text = "é".encode() * 10

    def no_more(start: int, end: int) -> bytes:
        raise AssertionError

    assert sniff(text[:-1], size=len(text), read_range=no_more) == TEXT
    assert sniff(text[:-1], size=len(text) - 1, read_range=no_more) is None


# --- Sealing ------------------------------------------------------------------------------------
def test_seal_moves_the_checked_version_to_a_fresh_key(in_practice_a: PracticeCast) -> None:
    key = _put(PDF_BYTES)
    verified = object_verify(key=key, filename="a.pdf")
    sealed = object_seal(key=key, verified=verified, area="tests")
    assert sealed != key
    assert not object_exists(key)
    assert practice_object_range(sealed, start=0, end=len(PDF_BYTES) - 1) == PDF_BYTES


def test_seal_refuses_an_object_replaced_after_the_check(in_practice_a: PracticeCast) -> None:
    key = practice_object_key(area="tests")
    form = upload_form(key=key, max_bytes=10_000).as_json()
    post_to_s3(form, PDF_BYTES)
    verified = object_verify(key=key, filename="a.pdf")
    post_to_s3(form, EXE_BYTES)  # the same form again, before the seal
    with pytest.raises(UploadRejected, match="changed"):
        object_seal(key=key, verified=verified, area="tests")
    from storage.objects import object_keys

    assert [k for k, _ in object_keys(practice_prefix(in_practice_a.practice.uuid) + "tests/")] == [
        key
    ]
