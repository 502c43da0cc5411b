"""Sharing documents with clients and receiving their uploads.

The flow for both directions (DESIGN.md §6): `*_slot_create` signs a presigned POST for a fresh
key and writes a PENDING row with the slot's expiry → the browser posts the file straight to S3 →
`*_confirm` verifies the object (slot not expired, size, type by content, name agrees, virus scan
for client uploads) and makes the row READY, or deletes the object and marks the row REJECTED
with a reason (rejected rows are never listed). S3 calls happen outside database transactions;
each change of a row is one transaction with its audit row and outbox/notification rows.
Audit details hold ids, sizes and types only, never a filename or message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from shared_apps.accounts.models import User
from storage.guard import key_guard
from storage.practice_objects import practice_object_delete
from storage.presign import UploadForm, download_link
from storage.scan import ScanFailed, ScanOutcome, object_scan
from storage.slots import (
    announced_size_check,
    upload_filename_clean,
    upload_slot_open,
    upload_slot_reject,
    upload_slot_verify,
)
from storage.verify import UploadRejected, VerifiedObject, object_seal
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.documents.errors import DocumentRefused
from tenant_apps.documents.models import (
    SHARED_AREA,
    UPLOAD_AREA,
    ClientUpload,
    FileState,
    ScanState,
    SharedDocument,
    StoredFile,
)
from tenant_apps.documents.selectors import uploads_enabled
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.links import email_practice, portal_link
from tenant_apps.notifications.services import email_enqueue
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.selectors import staff_to_notify_about
from tenant_apps.staff_notifications.services import staff_notify

MESSAGE_MAX = 2000
_SHARED_EMAIL_TEMPLATE = "documents/email/document_shared.txt"
EXPIRED_REASON = "The upload took too long and its slot expired. Please try again."
INFECTED_REASON = "The virus scan found a threat in this file."
# What a confirm changes on a row that becomes READY.
_READY_FIELDS = ("s3_key", "state", "content_type", "size_bytes", "ready_at")
SCAN_FAILED_REASON = "The file could not be checked for viruses just now. Please upload it again."


@contextmanager
def _as_refusal() -> Iterator[None]:
    """Storage's UploadRejected (name, type, announced size) as DocumentRefused."""
    try:
        yield
    except UploadRejected as rejected:
        raise DocumentRefused(rejected.reason) from rejected


def _already_confirmed(row: StoredFile) -> bool:
    """True when `row` is READY (confirming again changes nothing); DocumentRefused when it was
    rejected; False for a slot still waiting to be confirmed."""
    if row.state == FileState.REJECTED:
        raise DocumentRefused(row.rejected_reason or "This upload was rejected.")
    return row.state == FileState.READY


def _verify_and_seal(row: StoredFile, *, area: str) -> tuple[VerifiedObject, str]:
    """Check `row`'s object and seal the checked version under a fresh key in `area` (the upload
    key is then gone); the check and the sealed key. On any refusal (expired slot included)
    delete the object, mark the row REJECTED (committed even though the caller then sees
    DocumentRefused) and raise DocumentRefused."""
    try:
        verified = upload_slot_verify(
            key=row.s3_key,
            filename=row.original_filename,
            expires_at=row.upload_expires_at,
            expired_reason=EXPIRED_REASON,
        )
        return verified, object_seal(key=row.s3_key, verified=verified, area=area)
    except UploadRejected as rejected:
        _reject(row, rejected.reason)
        raise DocumentRefused(rejected.reason) from rejected


def _reject(row: StoredFile, reason: str) -> None:
    upload_slot_reject(row, key=row.s3_key, reason=reason)
    row.state = FileState.REJECTED
    row.rejected_reason = reason


def _make_ready(row: StoredFile, *, sealed: str, verified: VerifiedObject) -> None:
    """Set what a confirm changes on a row that becomes READY (`_READY_FIELDS`; not saved)."""
    row.s3_key = sealed
    row.state = FileState.READY
    row.content_type = verified.content_type
    row.size_bytes = verified.size
    row.ready_at = timezone.now()


def _download_link(
    row: StoredFile, *, actor: User, request: HttpRequest | None, action: str, object_type: str
) -> str:
    """A 5-minute download link for `row`, after writing the audit row `action`."""
    link = download_link(
        key=row.s3_key, filename=row.original_filename, content_type=row.content_type
    )
    audit_record(
        action=action,
        request=request,
        actor=actor,
        object_type=object_type,
        object_id=row.pk,
        detail={"client_id": row.client_id},
    )
    return link


# --- Shared documents (staff → client) ----------------------------------------------------------
def shared_document_slot_create(
    *,
    actor: User,
    client: Client,
    filename: str,
    message: str = "",
    size: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[SharedDocument, UploadForm]:
    """Open an upload slot for a document `actor` shares with `client` (the caller checked
    access). Returns the PENDING row and the presigned POST (10 minutes). Raises DocumentRefused
    (name, type, announced size, message length, archived client)."""
    with _as_refusal():
        name = upload_filename_clean(filename)
        announced_size_check(size)
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise DocumentRefused(f"The message can be at most {MESSAGE_MAX} characters.")
    if client.is_archived:
        raise DocumentRefused("This client is archived: restore them to share files.")
    key, form = upload_slot_open(area=SHARED_AREA)
    document = SharedDocument.objects.create(
        client=client,
        s3_key=key,
        original_filename=name,
        message=message,
        shared_by=actor,
        upload_expires_at=form.expires_at,
    )
    return document, form


def shared_document_confirm(
    *, actor: User, document: SharedDocument, request: HttpRequest | None = None
) -> SharedDocument:
    """Verify the uploaded object and share the document: READY, `shared_at` set, audit
    `document.shared`, and (when the client has portal access and allows email) one email that a
    new document is waiting — no filename, no message. Confirming a shared document again
    changes nothing. Raises DocumentRefused when the slot expired or the file is rejected (the
    object is then deleted and the row REJECTED)."""
    if _already_confirmed(document):
        return document
    verified, sealed = _verify_and_seal(document, area=SHARED_AREA)
    with transaction.atomic():
        locked = SharedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.state != FileState.PENDING:
            # A concurrent confirm won: its copy is the one the row keeps.
            transaction.on_commit(lambda: practice_object_delete(sealed))
            return locked
        _make_ready(locked, sealed=sealed, verified=verified)
        locked.shared_at = locked.ready_at
        locked.save(update_fields=[*_READY_FIELDS, "shared_at"])
        audit_record(
            action="document.shared",
            request=request,
            actor=actor,
            object_type="shared_document",
            object_id=locked.pk,
            detail={
                "client_id": locked.client_id,
                "size": verified.size,
                "content_type": verified.content_type,
            },
        )
        _shared_email(client=document.client, document=locked, request=request)
    return locked


def _shared_email(*, client: Client, document: SharedDocument, request: HttpRequest | None) -> None:
    access = PortalAccess.objects.filter(client=client).first()
    if not (
        client.email
        and client.portal_status in (PortalStatus.INVITED, PortalStatus.ACTIVE)
        and access is not None
        and access.allows_email
    ):
        return
    practice = email_practice(request)
    practice_name = practice.name
    email_enqueue(
        kind="document_shared",
        to_email=client.email,
        subject=f"A new document is waiting in your portal at {practice_name}",
        template_name=_SHARED_EMAIL_TEMPLATE,
        context={
            "first_name": client.preferred_name or client.first_name,
            "practice_name": practice_name,
            "portal_url": portal_link("/documents/shared/", practice=practice),
        },
        idempotency_key=f"document-shared:{document.pk}",
        client=client,
    )


def shared_document_unshare(
    *, actor: User, document: SharedDocument, request: HttpRequest | None = None
) -> SharedDocument:
    """Stop sharing: the client no longer sees or downloads it; the object is deleted, the row
    stays (with `unshared_at`). Audits `document.unshared`. Un-sharing twice changes nothing;
    a document that was never shared raises DocumentRefused."""
    if document.state != FileState.READY:
        raise DocumentRefused("This document was never shared.")
    if document.unshared_at is not None:
        return document
    key_guard(document.s3_key)
    with transaction.atomic():
        locked = SharedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.unshared_at is not None:
            return locked
        locked.unshared_at = timezone.now()
        locked.save(update_fields=["unshared_at"])
        audit_record(
            action="document.unshared",
            request=request,
            actor=actor,
            object_type="shared_document",
            object_id=locked.pk,
            detail={"client_id": locked.client_id},
        )
    # After the commit: a failed delete leaves an orphan object, never a shared row without one.
    practice_object_delete(locked.s3_key)
    return locked


def shared_document_download(
    *, actor: User, document: SharedDocument, request: HttpRequest | None = None
) -> str:
    """A 5-minute download link for a ready, still shared document, after writing the audit row
    `document.downloaded` (actor: staff or the client). Raises DocumentRefused otherwise."""
    if not document.is_shared:
        raise DocumentRefused("This document is no longer shared.")
    return _download_link(
        document,
        actor=actor,
        request=request,
        action="document.downloaded",
        object_type="shared_document",
    )


# --- Client uploads (client → staff) ------------------------------------------------------------
def client_upload_slot_create(
    *,
    client: Client,
    account: User,
    filename: str,
    size: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[ClientUpload, UploadForm]:
    """Open an upload slot for `client` (signed in as `account`). Raises DocumentRefused when
    uploads are off for the client, or for the name/type/announced size."""
    if not uploads_enabled(client):
        raise DocumentRefused("Uploads are not turned on for your portal.")
    with _as_refusal():
        name = upload_filename_clean(filename)
        announced_size_check(size)
    key, form = upload_slot_open(area=UPLOAD_AREA)
    upload = ClientUpload.objects.create(
        client=client,
        s3_key=key,
        original_filename=name,
        uploaded_by=account,
        upload_expires_at=form.expires_at,
    )
    return upload, form


def client_upload_confirm(
    *, account: User, upload: ClientUpload, request: HttpRequest | None = None
) -> ClientUpload:
    """Verify and scan the uploaded object, then make the upload READY: audit `upload.received`,
    and a CLIENT_UPLOAD staff notification (linking to the client's Documents tab) for the owners
    and the client's clinician. The scan result is CLEAN, or NOT_SCANNED when no scanner is
    configured. Raises DocumentRefused for an expired slot, a rejected file or a threat found
    (object deleted, row REJECTED) and when the scanner is unreachable (likewise: the client
    uploads the file again). The verified version is sealed under a fresh key before the scan."""
    if _already_confirmed(upload):
        return upload
    if not uploads_enabled(upload.client):
        _reject(upload, "Uploads are not turned on for your portal.")
        raise DocumentRefused(upload.rejected_reason)
    verified, sealed = _verify_and_seal(upload, area=UPLOAD_AREA)
    try:
        outcome = object_scan(sealed)
    except ScanFailed as failed:
        practice_object_delete(sealed)
        _reject(upload, SCAN_FAILED_REASON)
        raise DocumentRefused(SCAN_FAILED_REASON) from failed
    if outcome == ScanOutcome.INFECTED:
        practice_object_delete(sealed)
        ClientUpload.objects.filter(pk=upload.pk).update(scan_state=ScanState.INFECTED)
        _reject(upload, INFECTED_REASON)
        upload.scan_state = ScanState.INFECTED
        raise DocumentRefused(INFECTED_REASON)
    with transaction.atomic():
        locked = ClientUpload.objects.select_for_update().select_related("client").get(pk=upload.pk)
        if locked.state != FileState.PENDING:
            transaction.on_commit(lambda: practice_object_delete(sealed))
            return locked
        _make_ready(locked, sealed=sealed, verified=verified)
        locked.scan_state = ScanState(outcome.value)
        locked.save(update_fields=[*_READY_FIELDS, "scan_state"])
        audit_record(
            action="upload.received",
            request=request,
            actor=account,
            object_type="client_upload",
            object_id=locked.pk,
            detail={
                "client_id": locked.client_id,
                "size": verified.size,
                "content_type": verified.content_type,
                "scan": outcome.value,
            },
        )
        staff_notify(
            recipients=staff_to_notify_about(locked.client),
            kind=StaffNotificationKind.CLIENT_UPLOAD,
            client=locked.client,
            link=f"/staff/clients/{locked.client_id}/documents/#upload-{locked.pk}",
        )
    return locked


def client_upload_download(
    *, actor: User, upload: ClientUpload, request: HttpRequest | None = None
) -> str:
    """A 5-minute download link for a ready upload, after writing the audit row
    `upload.downloaded`. The caller loaded `upload` with an `access_*` selector."""
    if upload.state != FileState.READY:
        raise DocumentRefused("This upload is not available.")
    return _download_link(
        upload,
        actor=actor,
        request=request,
        action="upload.downloaded",
        object_type="client_upload",
    )


# --- Abandoned upload slots ---------------------------------------------------------------------
# A slot is swept this long after its expiry, so a confirm racing the expiry is never cut short.
SLOT_SWEEP_GRACE = timedelta(minutes=5)


def upload_slots_expire(*, now: datetime) -> int:
    """Reject every upload slot of the current practice that expired before `now` minus a grace
    period without being confirmed, deleting whatever object the browser may have posted (a
    file no one will ever verify must not linger). Returns how many. Idempotent."""
    cutoff = now - SLOT_SWEEP_GRACE
    expired = 0
    for model in (SharedDocument, ClientUpload):
        stale = model._default_manager.filter(state=FileState.PENDING, upload_expires_at__lt=cutoff)
        for row in stale.order_by("pk")[:500]:
            _reject(row, EXPIRED_REASON)
            expired += 1
    return expired
