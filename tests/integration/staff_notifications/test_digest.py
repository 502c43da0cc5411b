"""The daily digest: at 7:00 in each practice's own time zone, once a day, counts and links only."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import dramatiq
import pytest
import redis
import time_machine
from django.conf import settings
from django_tenants.utils import schema_context
from dramatiq.middleware import Middleware

from config.schedule import PERIODIC_JOBS
from shared_apps.tasks.broker import SCHEMA_OPTION
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.digest import digest_window, staff_digests_queue
from tenant_apps.staff_notifications.models import (
    StaffNotificationKind,
    StaffNotificationPreferences,
)
from tenant_apps.staff_notifications.services import staff_notify
from tenant_apps.staff_notifications.tasks import (
    DIGEST_QUEUE,
    staff_digest_fan_out,
    staff_digest_fanout,
    staff_digest_practice,
)
from tests.cast import Cast, PracticeCast

CANARY_FIRST, CANARY_LAST = "Marzipanella", "Quokkabridge"
NEW_YORK, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
# Friday 27 November 2026: Berlin is UTC+1 (7:00 = 06:00 UTC), New York UTC-5 (7:00 = 12:00 UTC).
DAY = dt.date(2026, 11, 27)
YESTERDAY_AFTERNOON = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


class EnqueueRecorder(Middleware):
    def __init__(self) -> None:
        self.messages: list[dramatiq.Message[Any]] = []

    def after_enqueue(
        self, broker: dramatiq.Broker, message: dramatiq.Message[Any], delay: int
    ) -> None:
        self.messages.append(message)


@pytest.fixture
def enqueued() -> Iterator[list[dramatiq.Message[Any]]]:
    broker = dramatiq.get_broker()
    broker.flush(DIGEST_QUEUE)
    recorder = EnqueueRecorder()
    broker.middleware.append(recorder)
    yield recorder.messages
    broker.middleware.remove(recorder)
    broker.flush(DIGEST_QUEUE)


@pytest.fixture(autouse=True)
def _no_digest_marks() -> Iterator[None]:
    client = redis.Redis.from_url(settings.REDIS_URL)

    def clear() -> None:
        keys = list(client.scan_iter("portico:digest:*"))
        if keys:
            client.delete(*keys)

    clear()
    yield
    clear()


def _zones(cast: Cast, *, a: str, b: str) -> None:
    Practice.objects.filter(pk=cast.a.practice.pk).update(time_zone=a)
    Practice.objects.filter(pk=cast.b.practice.pk).update(time_zone=b)


def _practice(practice: PracticeCast) -> Practice:
    return Practice.objects.get(pk=practice.practice.pk)


def _canary_client(cast: Cast) -> Client:
    with cast.a.schema():
        return client_create(
            actor=cast.a.owner,
            data=ClientData(
                first_name=CANARY_FIRST, last_name=CANARY_LAST, clinician=cast.a.clinician
            ),
        )


def _notify(
    practice: PracticeCast,
    kind: StaffNotificationKind,
    *,
    at: dt.datetime,
    client: Client | None = None,
    recipients: list[Any] | None = None,
) -> None:
    with time_machine.travel(at, tick=False), practice.schema():
        staff_notify(
            recipients=recipients or [practice.owner],
            kind=kind,
            client=client,
            link=f"/staff/clients/{client.pk}/" if client else "",
        )


def _digests(practice: PracticeCast) -> list[OutboundEmail]:
    with practice.schema():
        return list(OutboundEmail.objects.filter(kind="daily_digest").order_by("pk"))


def _fan_out(at: dt.datetime) -> list[str]:
    with time_machine.travel(at, tick=False):
        return staff_digest_fan_out(now=at)


def _run(message: dramatiq.Message[Any], at: dt.datetime) -> None:
    """What the worker does with a per-practice message: enter its schema, run the actor."""
    assert message.actor_name == "staff_digest_practice"
    with time_machine.travel(at, tick=False), schema_context(message.options[SCHEMA_OPTION]):
        staff_digest_practice.fn(*message.args)


pytestmark = pytest.mark.django_db


def test_the_window_is_7_to_7_local_and_follows_daylight_saving() -> None:
    start, end = digest_window(zone=BERLIN, local_date=DAY)
    assert (start, end) == (
        dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC),
    )
    # Europe moves its clocks back at 03:00 on 25 October 2026: that day's window is 25 hours.
    start, end = digest_window(zone=BERLIN, local_date=dt.date(2026, 10, 25))
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=25)


def test_each_practice_gets_its_digest_at_its_own_7_oclock_and_not_before(
    cast: Cast, enqueued: list[dramatiq.Message[Any]]
) -> None:
    _zones(cast, a="America/New_York", b="Europe/Berlin")
    _notify(cast.a, StaffNotificationKind.FORM_SIGNED, at=YESTERDAY_AFTERNOON)
    _notify(cast.b, StaffNotificationKind.CLIENT_UPLOAD, at=YESTERDAY_AFTERNOON)

    before_berlin = dt.datetime(2026, 11, 27, 5, 59, tzinfo=dt.UTC)  # 06:59 Berlin, 00:59 NY
    assert _fan_out(before_berlin) == []

    berlin_seven = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)
    assert _fan_out(berlin_seven) == [cast.b.practice.schema_name]
    [to_b] = enqueued
    assert to_b.args == ("2026-11-27",)
    assert to_b.options[SCHEMA_OPTION] == cast.b.practice.schema_name
    _run(to_b, berlin_seven)
    assert [(e.to_email, e.idempotency_key) for e in _digests(cast.b)] == [
        (cast.b.owner.email, f"digest:{cast.b.owner.pk}:2026-11-27")
    ]
    assert _digests(cast.a) == []

    assert _fan_out(dt.datetime(2026, 11, 27, 11, 59, tzinfo=dt.UTC)) == []  # 06:59 in New York
    ny_seven = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    assert _fan_out(ny_seven) == [cast.a.practice.schema_name]
    _run(enqueued[-1], ny_seven)
    [digest_a] = _digests(cast.a)
    assert digest_a.to_email == cast.a.owner.email
    assert digest_a.subject == "Your daily summary from Practice A"
    assert "- 1 form signed: http://a.localhost/staff/notifications/?kind=form_signed" in (
        digest_a.body_text
    )
    assert "upload" not in digest_a.body_text
    assert len(_digests(cast.b)) == 1


def test_counts_per_kind_for_each_recipient_and_only_inside_the_window(cast: Cast) -> None:
    _zones(cast, a="Europe/Berlin", b="UTC")
    assert cast.a.clinician is not None
    both = [cast.a.owner, cast.a.clinician]
    inside = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)  # 07:00 Berlin yesterday: included
    _notify(cast.a, StaffNotificationKind.FORM_COMPLETED, at=inside, recipients=both)
    _notify(cast.a, StaffNotificationKind.FORM_COMPLETED, at=inside + dt.timedelta(hours=5))
    _notify(cast.a, StaffNotificationKind.ONBOARDING_COMPLETED, at=inside, recipients=both)
    _notify(cast.a, StaffNotificationKind.BOOKING_REQUEST, at=inside)
    _notify(cast.a, StaffNotificationKind.NEW_MESSAGE, at=inside)  # messages have their own email
    before = inside - dt.timedelta(seconds=1)
    _notify(cast.a, StaffNotificationKind.FORM_SIGNED, at=before)
    at_seven_today = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)  # next day's digest
    _notify(cast.a, StaffNotificationKind.FORM_SIGNED, at=at_seven_today)

    with (
        time_machine.travel(at_seven_today, tick=False),
        cast.a.schema(),
    ):
        assert staff_digests_queue(practice=_practice(cast.a), local_date=DAY) == 2
    owner_digest, clinician_digest = _digests(cast.a)
    assert owner_digest.to_email == cast.a.owner.email
    lines = [line for line in owner_digest.body_text.splitlines() if line.startswith("- ")]
    assert lines == [
        "- 2 forms completed: http://a.localhost/staff/notifications/?kind=form_completed",
        "- 1 onboarding completed: http://a.localhost/staff/notifications/?kind=onboarding_completed",
        "- 1 booking request: http://a.localhost/staff/notifications/?kind=booking_request",
    ]
    assert clinician_digest.to_email == cast.a.clinician.email
    assert [line for line in clinician_digest.body_text.splitlines() if line.startswith("- ")] == [
        "- 1 form completed: http://a.localhost/staff/notifications/?kind=form_completed",
        "- 1 onboarding completed: http://a.localhost/staff/notifications/?kind=onboarding_completed",
    ]
    assert "Friday 27 November 2026" in owner_digest.body_text


def test_an_empty_day_sends_nothing(cast: Cast, enqueued: list[dramatiq.Message[Any]]) -> None:
    _zones(cast, a="Europe/Berlin", b="Europe/Berlin")
    _notify(
        cast.a, StaffNotificationKind.FORM_SIGNED, at=YESTERDAY_AFTERNOON - dt.timedelta(days=2)
    )
    _notify(cast.a, StaffNotificationKind.NEW_MESSAGE, at=YESTERDAY_AFTERNOON)
    at = dt.datetime(2026, 11, 27, 6, 5, tzinfo=dt.UTC)
    assert sorted(_fan_out(at)) == sorted(
        [cast.a.practice.schema_name, cast.b.practice.schema_name]
    )
    for message in list(enqueued):
        _run(message, at)
    assert _digests(cast.a) == []
    assert _digests(cast.b) == []


def test_run_twice_or_fanned_out_again_sends_one(
    cast: Cast, enqueued: list[dramatiq.Message[Any]]
) -> None:
    _zones(cast, a="Europe/Berlin", b="America/New_York")
    _notify(cast.a, StaffNotificationKind.FORM_SIGNED, at=YESTERDAY_AFTERNOON)
    at = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)
    assert _fan_out(at) == [cast.a.practice.schema_name]
    assert _fan_out(at + dt.timedelta(minutes=5)) == []  # queued already: not again
    [message] = enqueued
    _run(message, at)
    _run(message, at + dt.timedelta(minutes=1))  # a redelivered message
    assert _fan_out(at + dt.timedelta(hours=3)) == []  # done for today
    with time_machine.travel(at, tick=False), cast.a.schema():
        assert staff_digests_queue(practice=_practice(cast.a), local_date=DAY) == 0
    assert len(_digests(cast.a)) == 1


def test_a_message_for_a_day_not_yet_at_7_is_refused(cast: Cast) -> None:
    _zones(cast, a="America/New_York", b="UTC")
    _notify(cast.a, StaffNotificationKind.FORM_SIGNED, at=YESTERDAY_AFTERNOON)
    at = dt.datetime(2026, 11, 27, 11, 0, tzinfo=dt.UTC)  # 06:00 in New York
    with time_machine.travel(at, tick=False), cast.a.schema():
        staff_digest_practice.fn("2026-11-27")
    assert _digests(cast.a) == []


def test_opted_out_and_inactive_staff_get_none(cast: Cast) -> None:
    _zones(cast, a="UTC", b="UTC")
    assert cast.a.clinician is not None
    _notify(
        cast.a,
        StaffNotificationKind.CLIENT_UPLOAD,
        at=YESTERDAY_AFTERNOON,
        recipients=[cast.a.owner, cast.a.clinician],
    )
    with cast.a.schema():
        StaffNotificationPreferences.objects.create(user=cast.a.owner, daily_digest_email=False)
        type(cast.a.clinician).objects.filter(pk=cast.a.clinician.pk).update(is_active=False)
    with (
        time_machine.travel(dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC), tick=False),
        cast.a.schema(),
    ):
        assert staff_digests_queue(practice=_practice(cast.a), local_date=DAY) == 0
    assert _digests(cast.a) == []


def test_only_active_practices_are_fanned_out(
    cast: Cast, enqueued: list[dramatiq.Message[Any]]
) -> None:
    _zones(cast, a="UTC", b="UTC")
    Practice.objects.filter(pk=cast.b.practice.pk).update(status=PracticeStatus.SUSPENDED)
    pooled = Practice.objects.filter(status=PracticeStatus.POOLED).values_list(
        "schema_name", flat=True
    )
    queued = _fan_out(dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC))
    assert queued == [cast.a.practice.schema_name]
    assert not set(queued) & set(pooled)
    assert [m.options[SCHEMA_OPTION] for m in enqueued] == [cast.a.practice.schema_name]


def test_the_digest_job_is_scheduled_with_the_other_periodic_jobs() -> None:
    jobs = {job.name: job for job in PERIODIC_JOBS}
    assert set(jobs) == {
        "outbox-sweep",
        "pool-refill",
        "staff-digest",
        "upload-slots-sweep",
    }
    assert jobs["staff-digest"].every_seconds == 300
    assert jobs["staff-digest"].send == staff_digest_fanout.send


def test_no_phi_in_subject_body_payload_or_logs(
    cast: Cast, enqueued: list[dramatiq.Message[Any]], caplog: pytest.LogCaptureFixture
) -> None:
    _zones(cast, a="UTC", b="UTC")
    client = _canary_client(cast)
    assert cast.a.clinician is not None
    for kind in StaffNotificationKind:
        _notify(
            cast.a,
            kind,
            at=YESTERDAY_AFTERNOON,
            client=client,
            recipients=[cast.a.owner, cast.a.clinician],
        )
    at = dt.datetime(2026, 11, 27, 7, 30, tzinfo=dt.UTC)
    with caplog.at_level(logging.DEBUG):
        _fan_out(at)
        for message in list(enqueued):
            _run(message, at)
    digests = _digests(cast.a)
    assert len(digests) == 2
    canaries = [CANARY_FIRST, CANARY_LAST, cast.a.client_user.first_name]
    texts = [e.subject for e in digests] + [e.body_text for e in digests]
    texts += [repr(m.asdict()) for m in enqueued] + [r.getMessage() for r in caplog.records]
    for text in texts:
        for canary in canaries:
            assert canary not in text
