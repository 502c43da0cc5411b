"""Presigned requests the browser sends straight to S3: a POST form to upload and a GET link to
download. Large files never pass through a web worker (DESIGN.md §6).

Both refuse a key outside the current practice's prefix (the storage guard). S3-compatible servers
used in development and tests may not enforce expiry or the size range: `storage.verify` checks
the object again after the upload, and the upload slot's expiry lives on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from storage.client import s3_client
from storage.guard import key_guard
from storage.objects import DOWNLOAD_LINK_SECONDS, download_url

UPLOAD_SLOT_SECONDS = 600
# The object is stored as opaque bytes whatever the browser claims; downloads force the sniffed
# type, so S3 never serves an upload as HTML.
UPLOAD_CONTENT_TYPE = "application/octet-stream"
SSE_FIELD = "x-amz-server-side-encryption"
SSE_ALGORITHM = "AES256"


@dataclass(frozen=True)
class UploadForm:
    """Where and what the browser posts: `url` with `fields` first, then the file as `file`."""

    url: str
    fields: dict[str, str]
    expires_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "fields": self.fields, "expires_at": self.expires_at.isoformat()}


def upload_form(*, key: str, max_bytes: int, expires_in: int = UPLOAD_SLOT_SECONDS) -> UploadForm:
    """A presigned POST for exactly `key`: 1..`max_bytes` bytes, server-side encryption AES256,
    Content-Type fixed, valid `expires_in` seconds (at most 10 minutes).

    Raises ForeignKeyRefused for a key of another practice, ValueError for a longer expiry.
    """
    if not 0 < expires_in <= UPLOAD_SLOT_SECONDS:
        raise ValueError("An upload slot is valid for at most 10 minutes.")
    fields = {"Content-Type": UPLOAD_CONTENT_TYPE, SSE_FIELD: SSE_ALGORITHM}
    conditions: list[Any] = [
        ["content-length-range", 1, max_bytes],
        {"Content-Type": UPLOAD_CONTENT_TYPE},
        {SSE_FIELD: SSE_ALGORITHM},
    ]
    expires_at = timezone.now() + timedelta(seconds=expires_in)
    signed = s3_client().generate_presigned_post(
        Bucket=settings.PORTICO_S3_BUCKET,
        Key=key_guard(key),
        Fields=fields,
        Conditions=conditions,
        ExpiresIn=expires_in,
    )
    return UploadForm(url=signed["url"], fields=dict(signed["fields"]), expires_at=expires_at)


def download_link(*, key: str, filename: str, content_type: str) -> str:
    """A presigned GET valid for 5 minutes that always downloads as `filename` with
    `content_type`. Call it only after the access check; raises ForeignKeyRefused for a key of
    another practice."""
    return download_url(key=key_guard(key), filename=filename, content_type=content_type)


__all__ = ["DOWNLOAD_LINK_SECONDS", "UPLOAD_SLOT_SECONDS", "UploadForm", "download_link"]
