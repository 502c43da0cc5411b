"""The relay: claims due outbox rows and sends them, one committed transaction per row.

Each row is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and stays locked while it is sent; the
transaction that marks it sent (or records the failure) then releases it. So relays running at the
same time (the command, the periodic sweep, `outbox_deliver`) each take different rows, and a row
is sent twice only if a process dies between the mail server accepting it and the commit.
Call these outside any transaction: an outer one would hold every claimed row until it ends.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState

logger = logging.getLogger(__name__)

# A failed email waits 1, 4, 16, 64 … minutes before its next attempt (capped), so that a mail
# server outage of a few minutes does not use up every attempt.
_FIRST_RETRY = timedelta(minutes=1)
_LONGEST_RETRY = timedelta(hours=6)


class EmailNotAcceptedError(Exception):
    """The email backend returned without raising but reported that nothing was sent."""


def outbox_relay_practice(*, limit: int) -> int:
    """Send up to `limit` due emails of the current practice's outbox; return how many were sent.

    A send that raises increments `attempts`, records `last_error` (exception class and SMTP code,
    never the address) and retries later with a growing delay; after
    `settings.PORTICO_OUTBOX_MAX_ATTEMPTS` attempts, or when the server refuses the recipient
    permanently (5xx), the email is `failed`. Raises RuntimeError in the public schema.
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


def _relay_next(candidates: QuerySet[OutboundEmail], mail: BaseEmailBackend) -> bool | None:
    """Claim the first due row of `candidates` and try to send it, in one transaction.
    None when there is nothing to claim, otherwise whether it was sent."""
    with transaction.atomic():
        email = (
            candidates.select_for_update(skip_locked=True)
            .filter(state=OutboundEmailState.QUEUED, send_after__lte=timezone.now())
            .order_by("send_after", "pk")
            .first()
        )
        if email is None:
            return None
        try:
            _send(email, mail)
        except Exception as error:
            _close_quietly(mail)  # a broken connection is reopened for the next row
            _record_failure(email, error)
            return False
        email.state = OutboundEmailState.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["state", "sent_at"])
    logger.info("Sent outbox email %s (%s) in %s.", email.pk, email.kind, current_schema_name())
    return True


def _send(email: OutboundEmail, mail: BaseEmailBackend) -> None:
    message = EmailMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        connection=mail,
    )
    mail.open()  # kept open for the next rows; a no-op when it already is
    if message.send() != 1:
        raise EmailNotAcceptedError


def _record_failure(email: OutboundEmail, error: Exception) -> None:
    max_attempts: int = settings.PORTICO_OUTBOX_MAX_ATTEMPTS
    email.attempts += 1
    email.last_error = _error_summary(error)
    if email.attempts >= max_attempts or _is_permanent(error):
        email.state = OutboundEmailState.FAILED
    else:
        email.send_after = timezone.now() + min(
            _FIRST_RETRY * 4 ** (email.attempts - 1), _LONGEST_RETRY
        )
    email.save(update_fields=["attempts", "last_error", "state", "send_after"])
    logger.warning(
        "Outbox email %s (%s) in %s not sent: %s (attempt %s of %s).",
        email.pk,
        email.kind,
        current_schema_name(),
        email.last_error,
        email.attempts,
        max_attempts,
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


def _is_permanent(error: Exception) -> bool:
    """The server refused the recipient for good (5xx): retrying cannot help."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code in _smtp_codes(error)
    )


def _close_quietly(mail: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):
        mail.close()


def _require_practice_schema() -> None:
    if current_schema_name() == get_public_schema_name():
        raise RuntimeError("The outbox relay must run inside a practice's schema.")
