"""The daily digest end to end: the scheduler's job through a real Dramatiq worker on the real
Redis, down to the emails sent, with committed rows (a worker thread has its own connection)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
import time_machine
from django.core import mail
from dramatiq import Worker

from shared_apps.tenancy.models import Practice
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.notifications.tasks import OUTBOX_QUEUE
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tenant_apps.staff_notifications.tasks import DIGEST_QUEUE, staff_digest_fanout
from tests.cast import Cast
from tests.integration.staff_notifications.test_digest import (
    YESTERDAY_AFTERNOON,
    _no_digest_marks,  # noqa: F401  (autouse fixture)
    _notify,
    _zones,
)
from tests.support.outbox import rows_delete


@pytest.fixture
def committed(cast: Cast, django_db_blocker: Any) -> Iterator[Cast]:
    """Rows a worker thread can see; everything written is removed afterwards."""
    with django_db_blocker.unblock():
        zones = {
            p.pk: p.time_zone
            for p in Practice.objects.filter(pk__in=[cast.a.practice.pk, cast.b.practice.pk])
        }
        try:
            yield cast
        finally:
            rows_delete(cast, OutboundEmail, StaffNotification)
            for pk, zone in zones.items():
                Practice.objects.filter(pk=pk).update(time_zone=zone)
            dramatiq.get_broker().flush(DIGEST_QUEUE)
            dramatiq.get_broker().flush(OUTBOX_QUEUE)


def test_a_real_worker_delivers_one_digest_per_staff_member(committed: Cast) -> None:
    cast = committed
    _zones(cast, a="America/New_York", b="Europe/Berlin")
    _notify(cast.a, StaffNotificationKind.FORM_COMPLETED, at=YESTERDAY_AFTERNOON)
    _notify(cast.b, StaffNotificationKind.FORM_COMPLETED, at=YESTERDAY_AFTERNOON)
    broker = dramatiq.get_broker()
    broker.flush(DIGEST_QUEUE)
    broker.flush(OUTBOX_QUEUE)
    worker = Worker(
        broker, queues={DIGEST_QUEUE, OUTBOX_QUEUE}, worker_threads=1, worker_timeout=100
    )
    worker.start()
    try:
        with time_machine.travel(dt.datetime(2026, 11, 27, 12, 30, tzinfo=dt.UTC), tick=True):
            for _ in range(2):  # the scheduler, twice
                staff_digest_fanout.send()
                broker.join(DIGEST_QUEUE, timeout=10_000)
                broker.join(OUTBOX_QUEUE, timeout=10_000)
                worker.join()
    finally:
        worker.stop()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [cast.a.owner.email, cast.b.owner.email]
    )
    assert {message.subject for message in mail.outbox} == {
        "Your daily summary from Practice A",
        "Your daily summary from Practice B",
    }
