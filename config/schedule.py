"""Periodic work, scheduled from one place (DESIGN.md §5). Each job is an actor sent from the
public schema; it fans out per practice itself. Run exactly one `manage.py run_scheduler`; a second
one is harmless: each (job, time slot) is claimed once in Redis.

This is wiring, so it lives in `config/`: it names actors of every layer (README.md, "Layers")."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings

from provisioning.tasks import pool_refill_task
from tenant_apps.documents.tasks import upload_slots_sweep_fanout
from tenant_apps.notifications.tasks import outbox_sweep
from tenant_apps.staff_notifications.tasks import staff_digest_fanout

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    send: Callable[[], object]


# Every periodic job of Portico, and only here (README.md, "Background work").
PERIODIC_JOBS = (
    PeriodicJob("outbox-sweep", 30, outbox_sweep.send),
    PeriodicJob("pool-refill", 60, pool_refill_task.send),
    # Fans out to the practices where it is past 7:00 and today's digest is not done yet.
    PeriodicJob("staff-digest", 5 * 60, staff_digest_fanout.send),
    # Deletes the objects of upload slots that expired without being confirmed.
    PeriodicJob("upload-slots-sweep", 60 * 60, upload_slots_sweep_fanout.send),
)


def jobs_due(now: float, client: redis.Redis) -> list[PeriodicJob]:
    """The jobs whose current time slot nobody has claimed yet; claims them."""
    due = []
    for job in PERIODIC_JOBS:
        slot = int(now // job.every_seconds)
        key = f"portico:scheduler:{job.name}:{slot}"
        if client.set(key, "1", nx=True, ex=job.every_seconds * 2):
            due.append(job)
    return due


def scheduler_run(*, tick_seconds: float = 1.0, ticks: int | None = None) -> None:
    """Send each periodic job once per interval, until interrupted (or for `ticks` ticks)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    done = 0
    while ticks is None or done < ticks:
        for job in jobs_due(time.time(), client):
            try:
                job.send()
            except redis.RedisError:
                logger.warning("Could not queue periodic job %s; Redis is unreachable.", job.name)
        done += 1
        time.sleep(tick_seconds)
