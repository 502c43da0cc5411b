"""Checking an uploaded object before it becomes visible: size by HEAD, type by its first bytes;
then sealing it under a key no upload form can write to.

This is what enforces the upload rules: S3-compatible servers (moto in tests) ignore a presigned
POST's size range and expiry, so nothing is trusted until `object_verify` accepts it. And since a
presigned POST stays usable until it expires, the checked version is copied (by its ETag) to a
fresh key (`object_seal`): a second post to the upload key can never replace a checked file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from storage.keys import practice_object_key
from storage.practice_objects import (
    ObjectChanged,
    practice_object_copy,
    practice_object_delete,
    practice_object_head,
    practice_object_range,
)
from storage.sniff import EXTENSIONS, SNIFF_BYTES, extension_of, sniff

CHANGED_REASON = "The file changed while it was being checked. Please upload it again."
NOT_ACCEPTED_REASON = (
    "This type of file is not accepted. Allowed: PDF, PNG, JPEG, HEIC, Word (.docx) and plain text."
)


class UploadRejected(Exception):
    """The object may not be kept; `reason` is a sentence to show the person who uploaded it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedObject:
    size: int
    content_type: str
    etag: str


def upload_max_bytes() -> int:
    return int(settings.PORTICO_UPLOAD_MAX_BYTES)


def object_verify(*, key: str, filename: str, max_bytes: int | None = None) -> VerifiedObject:
    """Accept the object at `key` (of the current practice) or raise UploadRejected.

    Accepted: 1..`max_bytes` bytes (default PORTICO_UPLOAD_MAX_BYTES), an allowed type by content,
    and a name whose extension agrees with that type (an `.exe` renamed `.pdf` and HTML named
    `.png` are both refused). Reads only a HEAD, the first 64 KiB and, for a ZIP, its directory,
    all of the same version (ETag). Does not delete anything: the caller deletes a rejected
    object. Raises ForeignKeyRefused for another practice's key.
    """
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    head = practice_object_head(key)
    if head is None:
        raise UploadRejected("No file arrived. Please try the upload again.")
    if head.size == 0:
        raise UploadRejected("The file is empty.")
    if head.size > limit:
        raise UploadRejected(f"The file is larger than the limit of {filesizeformat(limit)}.")

    def read_range(start: int, end: int) -> bytes:
        return practice_object_range(key, start=start, end=end, etag=head.etag)

    try:
        first = read_range(0, min(head.size, SNIFF_BYTES) - 1)
        content_type = sniff(first, size=head.size, read_range=read_range)
    except ObjectChanged as changed:
        raise UploadRejected(CHANGED_REASON) from changed
    if content_type is None:
        raise UploadRejected(NOT_ACCEPTED_REASON)
    if extension_of(filename) not in EXTENSIONS[content_type]:
        raise UploadRejected("The file's content does not match its name.")
    return VerifiedObject(size=head.size, content_type=content_type, etag=head.etag)


def object_seal(*, key: str, verified: VerifiedObject, area: str) -> str:
    """Move the verified version of `key` to a fresh key in `area` (a copy inside S3, then the
    upload key is deleted) and return the new key. Raises UploadRejected when the object at `key`
    is no longer the verified version (nothing is kept then)."""
    sealed = practice_object_key(area=area)
    try:
        practice_object_copy(
            source=key, destination=sealed, etag=verified.etag, content_type=verified.content_type
        )
    except ObjectChanged as changed:
        raise UploadRejected(CHANGED_REASON) from changed
    practice_object_delete(key)
    return sealed
