"""Actors of the daily digest. They take a date, never data; the schema travels with the message.

`staff_digest_fanout` runs in `public` (queued by the scheduler every few minutes): for each active
practice where it is 7:00 or later, it queues `staff_digest_practice` for today's local date in
that practice's schema, unless that was queued recently or done. The fan-out never enters a
practice's schema itself: the task middleware does, per message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

import dramatiq
import redis
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from shared_apps.tenancy.context import NoPracticeError, current_practice
from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.staff_notifications.digest import (
    digest_date_due,
    practice_zone,
    staff_digests_queue,
)

logger = logging.getLogger(__name__)

DIGEST_QUEUE = "digest"

# A queued digest not done within this time (worker down, task failed) is queued again.
_QUEUED_MARK_SECONDS = 30 * 60
# A day's digest once done is not queued again that day (the outbox key would stop it anyway).
_DONE_MARK_SECONDS = 2 * 24 * 60 * 60


def _mark_key(schema: str, local_date: dt.date) -> str:
    return f"portico:digest:{schema}:{local_date.isoformat()}"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def staff_digest_fan_out(*, now: dt.datetime) -> list[str]:
    """Queue today's digest for every active practice where it is 7:00 or later at `now` and
    whose digest for today is neither queued (in the last 30 minutes) nor done. Returns the
    schemas queued. Call in `public`."""
    if current_schema_name() != get_public_schema_name():
        raise RuntimeError("The digest fan-out runs in the public schema.")
    client = _redis()
    queued = []
    practices = (
        Practice.objects.filter(status=PracticeStatus.ACTIVE)
        .order_by("pk")
        .only("schema_name", "time_zone")
    )
    for practice in practices:
        local_date = digest_date_due(zone=practice_zone(practice), now=now)
        if local_date is None:
            continue
        key = _mark_key(practice.schema_name, local_date)
        if not client.set(key, "queued", nx=True, ex=_QUEUED_MARK_SECONDS):
            continue
        try:
            staff_digest_practice.send_with_options(
                args=(local_date.isoformat(),), schema=practice.schema_name
            )
        except Exception:
            client.delete(key)
            raise
        queued.append(practice.schema_name)
    return queued


@dramatiq.actor(queue_name=DIGEST_QUEUE, max_retries=0)
def staff_digest_fanout() -> None:
    """Periodic (see config/schedule.py); no retries: the next run is the retry."""
    staff_digest_fan_out(now=timezone.now())


@dramatiq.actor(queue_name=DIGEST_QUEUE, max_retries=3, min_backoff=30_000)
def staff_digest_practice(local_date: str) -> None:
    """Queue `local_date`'s digests in the schema the message names (idempotent)."""
    schema = current_schema_name()
    try:
        practice = current_practice()
    except NoPracticeError:
        return
    if practice.status != PracticeStatus.ACTIVE:
        return
    day = dt.date.fromisoformat(local_date)
    due = digest_date_due(zone=practice_zone(practice), now=timezone.now())
    if due is None or day > due:
        # Not 7:00 there yet for that day (a clock skew or a hand-sent message): nothing to do.
        logger.warning("Daily digest for %s refused in %s: too early.", local_date, schema)
        return
    staff_digests_queue(practice=practice, local_date=day)
    # The mark only saves work; the outbox key keeps the digest single without it.
    with contextlib.suppress(redis.RedisError):
        _redis().set(_mark_key(schema, day), "done", ex=_DONE_MARK_SECONDS)
