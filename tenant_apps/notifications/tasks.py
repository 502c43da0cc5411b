"""Actors of the outbox. They take ids, never data; the schema travels with the message."""

from __future__ import annotations

import dramatiq

from tenant_apps.notifications.relay import outbox_relay_all, outbox_relay_one

OUTBOX_QUEUE = "outbox"
SWEEP_LIMIT_PER_PRACTICE = 100


# Retries cover infrastructure errors only (database restart): a failed send is recorded on the
# row and retried by the sweep, and a retry of an email already sent exits at once.
@dramatiq.actor(queue_name=OUTBOX_QUEUE, max_retries=3, min_backoff=5_000)
def outbox_deliver(email_id: int) -> None:
    """Send one email of the schema the message was sent from, if it is still queued and due."""
    outbox_relay_one(email_id=email_id)


# No retries: the next sweep is the retry.
@dramatiq.actor(queue_name=OUTBOX_QUEUE, max_retries=0)
def outbox_sweep() -> None:
    """Send every due email of every active practice (sent from `public`, e.g. by a scheduler)."""
    outbox_relay_all(limit_per_practice=SWEEP_LIMIT_PER_PRACTICE)
