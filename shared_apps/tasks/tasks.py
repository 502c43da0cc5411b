"""Placeholder periodic jobs (queued by shared_apps/tasks/schedule.py)."""

from __future__ import annotations

import logging

import dramatiq

logger = logging.getLogger(__name__)


@dramatiq.actor(max_retries=0)
def reminders_placeholder() -> None:
    """Where appointment and form reminders will be sent (a later issue): for now it only logs
    that the scheduler reached it, so the schedule and the worker are known to be wired."""
    logger.info("Reminder job ran: no reminders are defined yet.")
