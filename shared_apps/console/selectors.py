"""Reads for the console and the platform API: practices' metadata and counts, platform health.

Never PHI. The only reads inside a practice's schema are aggregates over its accounts (how many
clients, when anyone last signed in), made by provisioning's `practice_account_stats`: only
provisioning/ and the task middleware switch schemas.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import dramatiq
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from dramatiq.brokers.redis import RedisBroker
from redis.exceptions import RedisError

from provisioning.schemas import template_schema_name
from provisioning.selectors import (
    practice_account_stats,
    practices_to_migrate,
    schema_pending_migrations,
)
from provisioning.services import pool_level
from shared_apps.tenancy.models import Domain, Practice, PracticeEvent, PracticeStatus
from shared_apps.tenancy.selectors import host_url
from storage.objects import practice_prefix, prefix_size

logger = logging.getLogger(__name__)

STORAGE_CACHE_SECONDS = 300
PAGE_SIZE = 25


# --- Practices -----------------------------------------------------------------------------------


def practice_search(*, query: str = "", status: str = "") -> QuerySet[Practice]:
    """Practices whose name or any subdomain (also a retired one) contains `query`, newest first.
    `status` "" means every practice that has been claimed (pooled schemas are left out)."""
    practices = Practice.objects.all()
    if status:
        practices = practices.filter(status=status)
    else:
        practices = practices.exclude(status=PracticeStatus.POOLED)
    query = query.strip()
    if query:
        matching = Domain.objects.filter(domain__icontains=query).values("tenant_id")
        practices = practices.filter(Q(name__icontains=query) | Q(pk__in=matching))
    return practices.prefetch_related(
        Prefetch(
            "domains", queryset=Domain.objects.filter(is_primary=True), to_attr="primary_domains"
        )
    ).order_by("-created_at", "-id")


def access_practice(practice_uuid: uuid.UUID) -> Practice:
    """The practice with this uuid, or Http404."""
    practice = Practice.objects.filter(uuid=practice_uuid).first()
    if practice is None:
        raise Http404("No practice with that id.")
    return practice


@dataclass(frozen=True)
class PracticeOverview:
    """One practice as the console lists it: metadata and counts only.

    `client_count` and `last_activity` are None when the practice has no schema (yet, or any
    more); `storage_bytes` is None when S3 could not be asked.
    """

    practice: Practice
    host: str | None
    client_count: int | None
    last_activity: datetime | None
    storage_bytes: int | None

    @property
    def portal_url(self) -> str | None:
        return None if self.host is None else host_url(self.host)


def practice_overviews(practices: Sequence[Practice]) -> list[PracticeOverview]:
    """Overviews of `practices`: one query to learn which schemas exist, then one aggregate per
    practice inside its schema; storage from S3, cached for five minutes per practice."""
    existing = _schemas_existing([practice.schema_name for practice in practices])
    overviews = []
    for practice in practices:
        client_count, last_activity = (
            practice_account_stats(practice) if practice.schema_name in existing else (None, None)
        )
        overviews.append(
            PracticeOverview(
                practice=practice,
                host=_primary_host(practice),
                client_count=client_count,
                last_activity=last_activity,
                storage_bytes=practice_storage_bytes(practice),
            )
        )
    return overviews


def _primary_host(practice: Practice) -> str | None:
    prefetched: list[Domain] | None = getattr(practice, "primary_domains", None)
    if prefetched is not None:
        return prefetched[0].domain if prefetched else None
    return (
        Domain.objects.filter(tenant=practice, is_primary=True)
        .values_list("domain", flat=True)
        .first()
    )


def _schemas_existing(names: list[str]) -> set[str]:
    if not names:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [names])
        return {name for (name,) in cursor.fetchall()}


def practice_storage_bytes(practice: Practice) -> int | None:
    """Bytes under the practice's S3 prefix, cached for five minutes; None if S3 cannot be asked."""
    key = f"console:storage:{practice.uuid}"
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    try:
        size = prefix_size(practice_prefix(practice.uuid))
    except (BotoCoreError, ClientError):
        logger.warning("Could not size the S3 prefix of practice %s.", practice.uuid, exc_info=True)
        return None
    cache.set(key, size, STORAGE_CACHE_SECONDS)
    return size


@dataclass(frozen=True)
class PracticeDetail:
    overview: PracticeOverview
    domains: list[Domain]
    history: list[PracticeEvent]
    pending_migrations: list[str] | None  # None: the schema does not exist


def practice_detail(practice: Practice) -> PracticeDetail:
    """Everything the console shows about one practice: its domains (retired ones too), its
    status history, and which migrations its schema still lacks."""
    (overview,) = practice_overviews([practice])
    domains = list(
        Domain.objects.filter(tenant=practice).order_by("-is_primary", "-retired_at", "domain")
    )
    history = list(PracticeEvent.objects.filter(practice_uuid=practice.uuid))
    return PracticeDetail(
        overview=overview,
        domains=domains,
        history=history,
        pending_migrations=schema_pending_migrations(practice.schema_name),
    )


# --- Platform health -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaMigrationState:
    practice: Practice
    pending: list[str] | None  # None: the schema does not exist


@dataclass(frozen=True)
class QueueDepth:
    """Messages of one Dramatiq queue: waiting, fetched by a worker and not yet acknowledged,
    delayed (retries with back-off, scheduled sends), and dead-lettered (failed for good)."""

    name: str
    waiting: int
    in_progress: int
    delayed: int
    failed: int


@dataclass(frozen=True)
class PlatformHealth:
    pool_level: int
    pool_target: int
    template_schema: str
    template_pending: list[str] | None  # None: no template schema (sign-ups fall back to migrate)
    practices_behind: list[SchemaMigrationState]
    practices_current: int
    queues: list[QueueDepth] | None  # None: the broker's Redis could not be read

    @property
    def failed_messages(self) -> int:
        return sum(queue.failed for queue in self.queues or [])


def platform_health() -> PlatformHealth:
    """Pool level, migration state of the template and of every practice's schema, and the
    depths of the task queues. Reads every schema's migration table: an operator's page, not a
    load balancer's probe."""
    behind = []
    current = 0
    for practice in practices_to_migrate():
        pending = schema_pending_migrations(practice.schema_name)
        if pending == []:
            current += 1
        else:
            behind.append(SchemaMigrationState(practice=practice, pending=pending))
    template = template_schema_name()
    return PlatformHealth(
        pool_level=pool_level(),
        pool_target=settings.PORTICO_POOL_SIZE,
        template_schema=template,
        template_pending=schema_pending_migrations(template),
        practices_behind=behind,
        practices_current=current,
        queues=queue_depths(),
    )


def queue_depths() -> list[QueueDepth] | None:
    """Depth of every Dramatiq queue, read from the broker's Redis keys (dramatiq's
    brokers/redis/dispatch.lua): `<ns>:<queue>` is the list of waiting message ids,
    `<ns>:<queue>.msgs` the hash of every message not yet acknowledged (waiting or being worked
    on), `<ns>:<queue>.DQ.msgs` the delayed ones, `<ns>:<queue>.XQ` the sorted set of
    dead-lettered ids. Queues come from the broker's declarations and from the keys present, so a
    queue only the worker declares is listed too. None if the broker is not Redis or is down."""
    broker = dramatiq.get_broker()
    if not isinstance(broker, RedisBroker):
        return None
    namespace = broker.namespace
    try:
        names = {_queue_canonical(name) for name in broker.get_declared_queues()}
        for key in broker.client.scan_iter(match=f"{namespace}:*", count=500):
            name = key.decode() if isinstance(key, bytes) else str(key)
            name = name.removeprefix(f"{namespace}:")
            if not name.startswith("__"):
                names.add(_queue_canonical(name))
        pipeline = broker.client.pipeline(transaction=False)
        ordered = sorted(names)
        for name in ordered:
            full = f"{namespace}:{name}"
            pipeline.llen(full)
            pipeline.hlen(f"{full}.msgs")
            pipeline.hlen(f"{full}.DQ.msgs")
            pipeline.zcard(f"{full}.XQ")
        counts = pipeline.execute()
    except RedisError:
        logger.warning("Could not read the task queues from Redis.", exc_info=True)
        return None
    depths = []
    for index, name in enumerate(ordered):
        waiting, unacknowledged, delayed, failed = (
            int(n) for n in counts[4 * index : 4 * index + 4]
        )
        depths.append(
            QueueDepth(
                name=name,
                waiting=waiting,
                in_progress=max(unacknowledged - waiting, 0),
                delayed=delayed,
                failed=failed,
            )
        )
    return depths


def _queue_canonical(name: str) -> str:
    name = name.removesuffix(".msgs")
    for suffix in (".DQ", ".XQ"):
        name = name.removesuffix(suffix)
    return name
