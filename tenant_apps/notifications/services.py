"""Writes to the outbox: queue an email with the change that causes it, or cancel one.

Both run in the caller's transaction and in the caller's schema (a practice's); they never switch
schemas. The email itself is sent later by the relay (relay.py), so a rolled-back change sends
nothing and a sent email is never lost to a Redis or worker outage.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from shared_apps.tasks.broker import send_on_commit
from shared_apps.tenancy.db import current_schema_name
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.tasks import outbox_deliver

logger = logging.getLogger(__name__)


def email_enqueue(
    *,
    kind: str,
    to_email: str,
    subject: str,
    template_name: str,
    context: dict[str, Any],
    idempotency_key: str,
    send_after: datetime | None = None,
    client: Client | None = None,
) -> OutboundEmail:
    """Queue one plain-text email in the current practice's outbox and return its row.

    `template_name` is a template path such as `notifications/email/owner_email_confirmation.txt`,
    rendered now with `context` and autoescaping off (it is plain text). The body must carry no PHI
    beyond the recipient's own first name: no message text, form answers or diagnoses.

    `client` is the client the email concerns (sent to them, or to staff about them): it puts the
    email in that client's delivery log. Emails that concern no one client leave it None.

    Idempotent on `idempotency_key`: when a row with that key exists (whatever its state), it is
    returned unchanged and nothing else happens. Otherwise the row is written in the caller's
    transaction and, after that transaction commits, `outbox_deliver` is sent with the row's id
    (delayed until `send_after`); if that send fails (Redis down), the periodic sweep sends it.

    Raises RuntimeError when called in the public schema (the outbox lives in each practice's).
    """
    _require_practice_schema("email_enqueue")
    body_text = (
        Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))
    )
    # Insert first, in a savepoint: the usual case costs one round trip, and a duplicate key (a
    # retry, or a concurrent enqueue waiting on the unique index) returns the row already there.
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                idempotency_key=idempotency_key,
                kind=kind,
                to_email=to_email,
                # Header injection is refused by Django at send time: every attempt would fail.
                subject=" ".join(subject.split()),
                body_text=body_text,
                send_after=send_after or timezone.now(),
                client=client,
            )
    except IntegrityError:
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    delay_ms = int((email.send_after - timezone.now()).total_seconds() * 1000)
    send_on_commit(outbox_deliver, email.pk, delay_ms=delay_ms if delay_ms > 0 else None)
    return email


def email_cancel(*, idempotency_key: str) -> bool:
    """Cancel a queued email so that it is never sent. Returns whether one was cancelled.

    An email already sent, failed or cancelled is left alone (False). One the relay is sending at
    this moment is locked: this waits for the relay's commit and then finds it sent (False).
    """
    _require_practice_schema("email_cancel")
    cancelled = OutboundEmail.objects.filter(
        idempotency_key=idempotency_key, state=OutboundEmailState.QUEUED
    ).update(state=OutboundEmailState.CANCELLED)
    return cancelled > 0


def _require_practice_schema(function: str) -> None:
    if current_schema_name() == get_public_schema_name():
        raise RuntimeError(f"{function} must be called inside a practice's schema.")
