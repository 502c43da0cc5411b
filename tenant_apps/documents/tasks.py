"""Actors of the documents area. They take nothing but the schema the message travels with.

`upload_slots_sweep_fanout` runs in `public` (queued by the scheduler, hourly) and queues
`upload_slots_sweep` for every active practice; the task middleware enters each practice's schema.
"""

from __future__ import annotations

import logging

import dramatiq
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.documents.services import upload_slots_expire

logger = logging.getLogger(__name__)

DOCUMENTS_QUEUE = "documents"


def upload_slots_sweep_fan_out() -> list[str]:
    """Queue the sweep of abandoned upload slots in every active practice; the schemas queued.
    Call in `public`."""
    if current_schema_name() != get_public_schema_name():
        raise RuntimeError("The upload-slot fan-out runs in the public schema.")
    schemas = list(
        Practice.objects.filter(status=PracticeStatus.ACTIVE)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        upload_slots_sweep.send_with_options(schema=schema)
    return schemas


@dramatiq.actor(queue_name=DOCUMENTS_QUEUE, max_retries=0)
def upload_slots_sweep_fanout() -> None:
    """Periodic (see config/schedule.py); no retries: the next run is the retry."""
    upload_slots_sweep_fan_out()


@dramatiq.actor(queue_name=DOCUMENTS_QUEUE, max_retries=3, min_backoff=60_000)
def upload_slots_sweep() -> None:
    """Reject and delete the abandoned upload slots of the message's practice (idempotent)."""
    expired = upload_slots_expire(now=timezone.now())
    if expired:
        logger.info("Swept %s abandoned upload slots.", expired)
