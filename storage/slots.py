"""Upload slots: the steps every direct-to-S3 upload takes, whatever row records it (a shared
document, a client upload, a message attachment).

A slot is a row with `s3_key`, `original_filename`, `state` (pending/ready/rejected),
`rejected_reason` and `upload_expires_at`. `upload_slot_open` signs the POST for a fresh key;
`upload_slot_verify` checks what arrived; `upload_slot_reject` deletes the object and marks the
row REJECTED. Refusals are `UploadRejected` with a sentence for the person who uploaded: each app
turns it into its own error.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from storage.keys import practice_object_key
from storage.practice_objects import practice_object_delete
from storage.presign import UploadForm, upload_form
from storage.sniff import ALLOWED_EXTENSIONS, extension_of
from storage.verify import (
    NOT_ACCEPTED_REASON,
    UploadRejected,
    VerifiedObject,
    object_verify,
    upload_max_bytes,
)

logger = logging.getLogger(__name__)

FILENAME_MAX = 255
REJECTED_REASON_MAX = 300
# The `state` values every slot row uses (each app has its own TextChoices with these values).
SLOT_PENDING = "pending"
SLOT_REJECTED = "rejected"


def upload_filename_clean(filename: str) -> str:
    """The name to keep for a file: its last path part, printable, trimmed. Raises
    UploadRejected when empty, longer than FILENAME_MAX or of a type that is not accepted."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if not name:
        raise UploadRejected("Choose a file.")
    if len(name) > FILENAME_MAX:
        raise UploadRejected(f"The file name can be at most {FILENAME_MAX} characters.")
    if extension_of(name) not in ALLOWED_EXTENSIONS:
        raise UploadRejected(NOT_ACCEPTED_REASON)
    return name


def announced_size_check(size: int | None) -> None:
    """A size the browser announced, checked early for a clear message (`upload_slot_verify`
    checks the real size again). Raises UploadRejected when over the limit."""
    if size is not None and size > upload_max_bytes():
        limit = filesizeformat(upload_max_bytes())
        raise UploadRejected(f"The file is larger than the limit of {limit}.")


def upload_slot_open(*, area: str) -> tuple[str, UploadForm]:
    """A fresh key of the current practice in `area` and its presigned POST (10 minutes, up to
    PORTICO_UPLOAD_MAX_BYTES). The caller stores the key and `form.expires_at` on its row."""
    key = practice_object_key(area=area)
    return key, upload_form(key=key, max_bytes=upload_max_bytes())


def upload_slot_verify(
    *, key: str, filename: str, expires_at: datetime, expired_reason: str
) -> VerifiedObject:
    """Check the object a slot received (see `object_verify`). Raises UploadRejected with
    `expired_reason` once the slot expired (S3 servers may not enforce the POST policy's expiry:
    the slot's own expiry decides), or with the verification's reason. Deletes nothing."""
    if timezone.now() > expires_at:
        raise UploadRejected(expired_reason)
    return object_verify(key=key, filename=filename)


def upload_slot_reject(row: models.Model, *, key: str, reason: str) -> None:
    """Delete the slot's object at `key` (first: a file no one will use must not linger), then
    mark `row` REJECTED with `reason` in its own committed transaction, if it is still PENDING."""
    practice_object_delete(key)
    with transaction.atomic():
        type(row)._default_manager.filter(pk=row.pk, state=SLOT_PENDING).update(
            state=SLOT_REJECTED, rejected_reason=reason[:REJECTED_REASON_MAX]
        )
    logger.info("upload rejected: %s #%s", type(row).__name__, row.pk)
