"""The scheduler queues each periodic job once per interval, however many schedulers run."""

from __future__ import annotations

import redis
from django.conf import settings

from config.schedule import PERIODIC_JOBS, jobs_due


def test_each_job_is_due_once_per_slot_even_with_two_schedulers() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    now = 1_900_000_020.0  # a multiple of both intervals
    client.delete(
        *[f"portico:scheduler:{job.name}:{int(now // job.every_seconds)}" for job in PERIODIC_JOBS]
    )
    first = jobs_due(now, client)
    second = jobs_due(now + 0.5, client)  # another scheduler, same slot
    assert [job.name for job in first] == [
        "outbox-sweep",
        "pool-refill",
        "staff-digest",
        "upload-slots-sweep",
    ]
    assert second == []
    later = jobs_due(now + 30, client)
    assert [job.name for job in later] == ["outbox-sweep"]
