"""The relay: claims due outbox rows and sends them, each exactly once while relays stay alive.

One email, one attempt, two short committed transactions:

1. **Claim** — `SELECT … FOR UPDATE SKIP LOCKED` takes the first due `queued` row nobody holds,
   counts the attempt (`attempts += 1`), stamps `attempt_started_at` and moves `send_after` to when
   this attempt should be retried if it never finishes; then commits. The counter is therefore on
   disk *before* anything is sent, so a message whose worker dies mid-send still used up an
   attempt, and after `PORTICO_OUTBOX_MAX_ATTEMPTS` such attempts the next claim marks it `failed`
   instead of trying again (a crash loop ends). Because `send_after` is now in the future, no other
   relay can claim the row between the two transactions.
2. **Send** — the row is locked again (by id, for this attempt number only) and stays locked while
   the mail server is talked to; the same transaction records the outcome: `sent`; or, on a
   temporary error (SMTP 4xx, disconnection, refused connection, timeout), `queued` again with a
   growing delay (1, 4, 16, 64 … minutes from `PORTICO_OUTBOX_RETRY_SECONDS`); or, on a permanent
   one (SMTP 5xx refusing the sender, the recipient or the message), `failed` at once.

Who sends what, and how often:

- Two relays (the command, the periodic sweep, `outbox_deliver`, a redelivered task) never send the
  same row twice: the claim is `SKIP LOCKED`, the send holds the row lock, and a row that is `sent`
  or not due is never claimed. A duplicated `outbox_deliver` message exits without sending.
- A relay whose process dies mid-send loses its database session; PostgreSQL rolls its transaction
  back and releases the lock at once, and the row (still `queued`, attempt counted) is retried after
  the backoff by whichever relay comes next. If the process died *before the mail server accepted
  the message* — the usual case: connecting and talking SMTP is most of the time spent — it is
  delivered exactly once.
- The remaining window is between the server's final `250` and our commit (a few milliseconds): a
  process dying there leaves the row `queued`, and the retry sends the email a second time. This
  is at-least-once, chosen over at-most-once (committing "sending" first and never retrying) because
  losing a notification is worse than a rare duplicate. Every attempt of a row carries the same
  `Message-ID`, so receiving systems that de-duplicate on it (many do) show it once.

Call these outside any transaction: an outer one would hold every claimed row until it ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import smtplib
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState

logger = logging.getLogger(__name__)

_LONGEST_RETRY = timedelta(hours=6)
# What `last_error` says about an attempt that never reported back (its process died mid-send).
INTERRUPTED = "AttemptInterrupted"


class EmailNotAcceptedError(Exception):
    """The email backend returned without raising but reported that nothing was sent."""


def outbox_relay_practice(*, limit: int) -> int:
    """Send up to `limit` due emails of the current practice's outbox; return how many were sent.

    Each row is claimed, counted and sent as described in the module docstring; a failed attempt
    records `last_error` (exception class and SMTP code, never the address). Rows given up on
    (`failed`) count towards `limit` too, so that a backlog of dead rows cannot stall the loop.
    Raises RuntimeError in the public schema.
    """
    _require_practice_schema()
    mail = get_connection()
    sent = 0
    try:
        for _ in range(limit):
            outcome = _relay_next(OutboundEmail.objects.all(), mail)
            if outcome is None:
                break
            sent += outcome
    finally:
        _close_quietly(mail)
    return sent


def outbox_relay_one(*, email_id: int) -> bool:
    """Send one email of the current practice's outbox if it is queued and due; return whether
    it was sent. Missing, not yet due, already sent or being sent by another relay: False."""
    _require_practice_schema()
    mail = get_connection()
    try:
        return bool(_relay_next(OutboundEmail.objects.filter(pk=email_id), mail))
    finally:
        _close_quietly(mail)


def outbox_relay_all(*, limit_per_practice: int) -> int:
    """Run the relay in every active practice, one after the other; return how many were sent.

    A practice whose relay raises (a schema being migrated, say) is logged and skipped: one broken
    practice never holds up the others' email.
    """
    schemas = list(
        Practice.objects.filter(status=PracticeStatus.ACTIVE)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    sent = 0
    for schema in schemas:
        # The documented exception to "only provisioning/ and the task middleware switch schemas":
        # periodic work fans out per practice here (DESIGN.md §5).
        with schema_context(schema):
            try:
                sent += outbox_relay_practice(limit=limit_per_practice)
            except Exception as error:
                # The class only: a database error's text can quote a row (address, body).
                logger.error("Outbox relay failed in %s (%s).", schema, type(error).__name__)
    return sent


def retry_delay(attempts: int) -> timedelta:
    """How long after attempt number `attempts` (1-based) the next one may start."""
    first = timedelta(seconds=settings.PORTICO_OUTBOX_RETRY_SECONDS)
    return min(first * 4 ** max(attempts - 1, 0), _LONGEST_RETRY)


def message_id_for(email: OutboundEmail) -> str:
    """The same `Message-ID` for every attempt of one row; a digest, so it reveals nothing."""
    digest = hashlib.sha256(
        f"{current_schema_name()}:{email.pk}:{email.idempotency_key}".encode()
    ).hexdigest()[:32]
    return f"<outbox.{digest}@{settings.PORTICO_DOMAIN}>"


def _relay_next(candidates: QuerySet[OutboundEmail], mail: BaseEmailBackend) -> bool | None:
    """Claim the first due row of `candidates` and try to send it. None when there is nothing to
    claim, otherwise whether it was sent."""
    claimed = _claim(candidates)
    if claimed is None:
        return None
    email_id, attempt = claimed
    if attempt == 0:
        return False  # given up on at the claim
    return _attempt(email_id, attempt, mail)


def _claim(candidates: QuerySet[OutboundEmail]) -> tuple[int, int] | None:
    """Transaction 1: take a due row, count the attempt and commit. Returns (id, attempt number),
    (id, 0) when the row was given up on instead, or None when nothing is due."""
    max_attempts: int = settings.PORTICO_OUTBOX_MAX_ATTEMPTS
    now = timezone.now()
    with transaction.atomic():
        email = (
            candidates.select_for_update(skip_locked=True)
            .filter(state=OutboundEmailState.QUEUED, send_after__lte=now)
            .order_by("send_after", "pk")
            .first()
        )
        if email is None:
            return None
        if email.attempt_started_at is not None:
            # The previous attempt never recorded an outcome: its process died mid-send.
            email.last_error = INTERRUPTED
            logger.warning(
                "Outbox email %s (%s) in %s: attempt %s was interrupted.",
                email.pk,
                email.kind,
                current_schema_name(),
                email.attempts,
            )
        if email.attempts >= max_attempts:
            email.state = OutboundEmailState.FAILED
            email.attempt_started_at = None
            email.save(update_fields=["state", "attempt_started_at", "last_error"])
            logger.warning(
                "Outbox email %s (%s) in %s given up after %s attempts.",
                email.pk,
                email.kind,
                current_schema_name(),
                email.attempts,
            )
            return email.pk, 0
        email.attempts += 1
        email.attempt_started_at = now
        # If this attempt never reports back, the row is due again only after the backoff; until
        # then no other relay claims it (this one locks it again right after the commit).
        email.send_after = now + retry_delay(email.attempts)
        email.save(update_fields=["attempts", "attempt_started_at", "send_after", "last_error"])
        return email.pk, email.attempts


def _attempt(email_id: int, attempt: int, mail: BaseEmailBackend) -> bool:
    """Transaction 2: lock the claimed row again, send it and record the outcome."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, state=OutboundEmailState.QUEUED, attempts=attempt)
            .first()
        )
        if email is None:
            return False  # cancelled since the claim
        try:
            _send(email, mail)
        except Exception as error:
            _close_quietly(mail)  # a broken connection is reopened for the next row
            _record_failure(email, error)
            return False
        email.state = OutboundEmailState.SENT
        email.sent_at = timezone.now()
        email.attempt_started_at = None
        email.save(update_fields=["state", "sent_at", "attempt_started_at"])
    logger.info("Sent outbox email %s (%s) in %s.", email.pk, email.kind, current_schema_name())
    return True


def _send(email: OutboundEmail, mail: BaseEmailBackend) -> None:
    message = EmailMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers={"Message-ID": message_id_for(email)},
        connection=mail,
    )
    mail.open()  # kept open for the next rows; a no-op when it already is
    _test_hold()
    if message.send() != 1:
        raise EmailNotAcceptedError


def _test_hold() -> None:
    """Test hook, inert unless the *test* settings define `PORTICO_OUTBOX_TEST_HOLD_DIR` (from the
    environment variable of that name; no other settings module has it).

    While the file `hold` exists in that folder, a relay that has opened its connection to the
    mail server — mid-send, row locked, attempt counted — writes its process id to `holding` and
    waits, so that a test can SIGKILL it there (tests/integration/outbox/)."""
    folder = getattr(settings, "PORTICO_OUTBOX_TEST_HOLD_DIR", None)
    if not folder:
        return
    hold = Path(folder) / "hold"
    if not hold.exists():
        return
    (Path(folder) / "holding").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while hold.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _record_failure(email: OutboundEmail, error: Exception) -> None:
    max_attempts: int = settings.PORTICO_OUTBOX_MAX_ATTEMPTS
    email.last_error = _error_summary(error)
    email.attempt_started_at = None
    if email.attempts >= max_attempts or is_permanent(error):
        email.state = OutboundEmailState.FAILED
    else:
        email.send_after = timezone.now() + retry_delay(email.attempts)
    email.save(update_fields=["last_error", "attempt_started_at", "state", "send_after"])
    logger.warning(
        "Outbox email %s (%s) in %s not sent: %s (attempt %s of %s%s).",
        email.pk,
        email.kind,
        current_schema_name(),
        email.last_error,
        email.attempts,
        max_attempts,
        ", permanent" if is_permanent(error) else "",
    )


def _smtp_codes(error: Exception) -> list[int]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return sorted({code for code, _ in error.recipients.values()})
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def _error_summary(error: Exception) -> str:
    """The exception's class and SMTP codes: never its text, which can quote the address."""
    codes = " ".join(str(code) for code in _smtp_codes(error))
    return f"{type(error).__name__} {codes}".strip()[:200]


# 5xx answers about *this message* (its sender, recipient or content): retrying cannot help. A
# 5xx to our greeting, HELO or login is the relay's configuration, not the message: retried, so
# that fixing the credentials lets every queued email through.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def is_permanent(error: Exception) -> bool:
    """Whether `error` means this email can never be sent: the server refused its sender,
    recipient(s) or content with a 5xx code, or Django refused its headers. Everything else
    (4xx, disconnection, refused connection, timeouts, other errors) is temporary."""
    if isinstance(error, BadHeaderError):
        return True
    codes = _smtp_codes(error)
    return isinstance(error, _MESSAGE_ERRORS) and bool(codes) and all(code >= 500 for code in codes)


def _close_quietly(mail: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):
        mail.close()


def _require_practice_schema() -> None:
    if current_schema_name() == get_public_schema_name():
        raise RuntimeError("The outbox relay must run inside a practice's schema.")
