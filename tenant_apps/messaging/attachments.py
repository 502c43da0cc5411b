"""Files sent with secure messages, through `storage/` (DESIGN.md §6).

`message_attachment_slot_create` signs a presigned POST for a fresh key and writes a PENDING row
for the uploader's conversation → the browser posts the file straight to S3 → `message_send`
(with `attachment_ids`) calls `message_attachments_verify` before its transaction: each object is
checked (slot not expired, size, type by content, name agrees, virus scan for a client's file) and
a refused one is deleted and its row REJECTED. Verified rows are tied to the message inside the
message's transaction (`message_attachments_attach`). S3 calls never run inside a transaction.
"""

from __future__ import annotations

from django.db import transaction

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin
from storage.presign import UploadForm, download_link
from storage.scan import ScanFailed, ScanOutcome, object_scan
from storage.slots import (
    announced_size_check,
    upload_filename_clean,
    upload_slot_open,
    upload_slot_reject,
    upload_slot_verify,
)
from storage.verify import UploadRejected, VerifiedObject
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.models import (
    ATTACHMENT_AREA,
    ATTACHMENTS_PER_MESSAGE,
    AttachmentState,
    Conversation,
    Message,
    MessageAttachment,
)
from tenant_apps.messaging.selectors import conversation_sending_check

EXPIRED_REASON = "The upload took too long. Please attach the file again."
INFECTED_REASON = "The virus scan found a threat in this file."


def message_attachment_slot_create(
    *, actor: User, client: Client, filename: str, size: int | None = None
) -> tuple[MessageAttachment, UploadForm]:
    """Open an upload slot (10 minutes) for a file `actor` will send in `client`'s
    conversation (made when missing). Raises PermissionDenied when they do not take part (see
    `message_send`); MessagingError (field `attachment`) for a bad name, type or announced size,
    a closed conversation, or messaging turned off."""
    try:
        name = upload_filename_clean(filename)
        announced_size_check(size)
    except UploadRejected as rejected:
        raise MessagingError(rejected.reason, field="attachment") from rejected
    conversation = conversation_sending_check(sender=actor, client=client)
    key, form = upload_slot_open(area=ATTACHMENT_AREA)
    with transaction.atomic(durable=True):
        if conversation is None:
            conversation = Conversation.objects.get_or_create(client=client)[0]
        attachment = MessageAttachment.objects.create(
            conversation=conversation,
            uploaded_by=actor,
            s3_key=key,
            original_filename=name,
            upload_expires_at=form.expires_at,
        )
    return attachment, form


def message_attachments_verify(
    *, sender: User, client: Client, attachment_ids: list[int]
) -> list[tuple[MessageAttachment, VerifiedObject, ScanOutcome]]:
    """Check the uploaded objects of `attachment_ids` (pending slots of `sender` in `client`'s
    conversation) before the message is sent. Raises MessagingError (field `attachment`) for too
    many, an unknown id, an expired slot, a refused or infected file (its object deleted, its row
    REJECTED) or an unreachable virus scanner (nothing changed: send again)."""
    ids = list(dict.fromkeys(attachment_ids))
    if len(ids) > ATTACHMENTS_PER_MESSAGE:
        raise MessagingError(
            f"A message can carry at most {ATTACHMENTS_PER_MESSAGE} files.", field="attachment"
        )
    rows = list(
        MessageAttachment.objects.filter(
            pk__in=ids,
            uploaded_by=sender,
            conversation__client=client,
            state=AttachmentState.PENDING,
            message__isnull=True,
        ).order_by("pk")
    )
    if len(rows) != len(ids):
        raise MessagingError("A file to send was not found; attach it again.", field="attachment")
    checked = []
    for row in rows:
        verified = _verify_or_reject(row)
        outcome = ScanOutcome.NOT_SCANNED
        if not sender.is_practice_staff:
            # A client's file is scanned before any staff member can open it.
            try:
                outcome = object_scan(row.s3_key)
            except ScanFailed as failed:
                raise MessagingError(
                    "The file could not be checked yet. Please send again.", field="attachment"
                ) from failed
            if outcome == ScanOutcome.INFECTED:
                upload_slot_reject(row, key=row.s3_key, reason=INFECTED_REASON)
                raise MessagingError(INFECTED_REASON, field="attachment")
        checked.append((row, verified, outcome))
    return checked


def message_attachments_attach(
    *, message: Message, checked: list[tuple[MessageAttachment, VerifiedObject, ScanOutcome]]
) -> int:
    """Tie verified attachments to `message` (call inside `message_send`'s transaction); return
    how many. A row that is no longer pending (sent twice at once) refuses the whole message."""
    for row, verified, outcome in checked:
        updated = MessageAttachment.objects.filter(
            pk=row.pk, state=AttachmentState.PENDING, message__isnull=True
        ).update(
            message=message,
            state=AttachmentState.READY,
            content_type=verified.content_type,
            size_bytes=verified.size,
            scan_state=outcome.value,
        )
        if updated != 1:
            raise MessagingError("A file was already sent.", field="attachment")
    return len(checked)


def message_attachment_download(
    *, actor: User, attachment: MessageAttachment, origin: RequestOrigin | None = None
) -> str:
    """A 5-minute download link for a sent attachment, after the audit row
    `message_attachment.downloaded`. The caller loaded `attachment` with
    `access_message_attachment`."""
    link = download_link(
        key=attachment.s3_key,
        filename=attachment.original_filename,
        content_type=attachment.content_type,
    )
    audit_record(
        action=AuditAction.MESSAGE_ATTACHMENT_DOWNLOADED,
        actor=actor,
        origin=origin,
        object_type="message_attachment",
        object_id=attachment.pk,
        detail={"message": attachment.message_id},
    )
    return link


def _verify_or_reject(row: MessageAttachment) -> VerifiedObject:
    """The check of `row`'s object; on a refusal (expired slot included) the object is deleted,
    the row REJECTED, and MessagingError raised."""
    try:
        return upload_slot_verify(
            key=row.s3_key,
            filename=row.original_filename,
            expires_at=row.upload_expires_at,
            expired_reason=EXPIRED_REASON,
        )
    except UploadRejected as rejected:
        upload_slot_reject(row, key=row.s3_key, reason=rejected.reason)
        raise MessagingError(rejected.reason, field="attachment") from rejected


__all__ = [
    "message_attachment_download",
    "message_attachment_slot_create",
    "message_attachments_attach",
    "message_attachments_verify",
]
