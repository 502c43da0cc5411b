"""Background provisioning work. Runs in the public schema."""

from __future__ import annotations

import dramatiq


@dramatiq.actor(max_retries=3, min_backoff=5_000)
def pool_refill_task() -> None:
    """Top the warm pool up after a claim, and periodically (see the scheduler)."""
    from provisioning.services import pool_refill  # the services send this actor

    pool_refill()
