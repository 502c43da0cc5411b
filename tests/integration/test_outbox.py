"""The outbox: emails written with the change that causes them, sent once by the relay.

Most tests run inside the test transaction. Those where another thread (a second relay, a Dramatiq
worker) must see the rows use `committed`: no test transaction, and every outbox row they made is
deleted afterwards.
"""

from __future__ import annotations

import smtplib
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import dramatiq
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from dramatiq import Worker
from dramatiq.middleware import Middleware

from shared_apps.accounts.models import User, UserKind
from shared_apps.tasks.broker import SCHEMA_OPTION
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.relay import outbox_relay_one, outbox_relay_practice
from tenant_apps.notifications.services import email_cancel, email_enqueue
from tenant_apps.notifications.tasks import OUTBOX_QUEUE
from tests.cast import Cast
from tests.support.outbox import committed_outbox, only_these_practices_active

TEMPLATE = "notifications/email/owner_email_confirmation.txt"
CONFIRM_URL = "http://a.localhost:8000/confirm/k3y/"
T0 = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)


def _enqueue(key: str, *, to_email: str = "new-owner@a.example.com", **extra: Any) -> OutboundEmail:
    return email_enqueue(
        kind="owner_email_confirmation",
        to_email=to_email,
        subject="Confirm your email",
        template_name=TEMPLATE,
        context={"first_name": "Nia", "practice_name": "Practice A", "confirm_url": CONFIRM_URL},
        idempotency_key=key,
        **extra,
    )


def _row(email: OutboundEmail) -> OutboundEmail:
    return OutboundEmail.objects.get(pk=email.pk)


# --- Mail servers at the edge --------------------------------------------------------------------
class UnreachableMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPResponseException(421, b"4.3.2 Service not available, try later")


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        address = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}> unknown".encode())})


class GatedMailServer(LocmemBackend):
    """Holds the first delivery (and so its row's lock) until another relay has delivered an
    email or finished, so that two relays are certain to meet."""

    lock = threading.Lock()
    first_taken = False
    release = threading.Event()
    first_was_released: bool | None = None

    @classmethod
    def reset(cls) -> None:
        cls.first_taken = False
        cls.release = threading.Event()
        cls.first_was_released = None

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        cls = type(self)
        with cls.lock:
            is_first, cls.first_taken = not cls.first_taken, True
        if is_first:
            cls.first_was_released = cls.release.wait(timeout=5)
        else:
            cls.release.set()
        return super().send_messages(messages)


# --- Fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def committed(cast: Cast, django_db_blocker: Any) -> Iterator[Cast]:
    """Rows that other threads can see (see `committed_outbox`)."""
    with committed_outbox(cast, django_db_blocker) as committed_cast:
        yield committed_cast


@pytest.fixture
def gated_mail_server() -> Iterator[type[GatedMailServer]]:
    GatedMailServer.reset()
    with override_settings(EMAIL_BACKEND=f"{__name__}.GatedMailServer"):
        yield GatedMailServer


class EnqueueRecorder(Middleware):
    def __init__(self) -> None:
        self.messages: list[dramatiq.Message] = []

    def after_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int) -> None:
        self.messages.append(message)


@pytest.fixture
def enqueued() -> Iterator[list[dramatiq.Message]]:
    """The messages sent to the broker during the test (observed, still delivered)."""
    broker = dramatiq.get_broker()
    recorder = EnqueueRecorder()
    broker.middleware.append(recorder)
    yield recorder.messages
    broker.middleware.remove(recorder)


def _relays_at_once(cast: Cast, gate: type[GatedMailServer]) -> list[int]:
    """Run two relays in A at the same time, each in its own thread with its own connection."""
    start = threading.Barrier(2)

    def relay() -> int:
        try:
            start.wait(timeout=5)
            with cast.a.schema():
                return outbox_relay_practice(limit=100)
        finally:
            gate.release.set()
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(relay) for _ in range(2)]
        return [future.result(timeout=30) for future in futures]


# --- Writing and sending -------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_email_written_with_its_cause_is_sent_once_by_the_relay(
    in_practice_a: object, mailoutbox: list[EmailMessage]
) -> None:
    with transaction.atomic():
        User.objects.create_user("new-owner@a.example.com", None, kind=UserKind.CLIENT)
        email = _enqueue("confirm:1")

    assert outbox_relay_practice(limit=10) == 1
    assert outbox_relay_practice(limit=10) == 0

    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["new-owner@a.example.com"]
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert sent.subject == "Confirm your email"
    assert sent.body.startswith("Hello Nia,\n")
    assert CONFIRM_URL in sent.body
    row = _row(email)
    assert row.state == OutboundEmailState.SENT
    assert row.sent_at is not None
    assert (row.attempts, row.last_error, row.attempt_started_at) == (1, "", None)


@pytest.mark.django_db
def test_a_rolled_back_cause_sends_nothing(
    in_practice_a: object,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            User.objects.create_user("new-owner@a.example.com", None, kind=UserKind.CLIENT)
            _enqueue("confirm:rolled-back")
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        change_that_fails()

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert outbox_relay_practice(limit=10) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_enqueue_is_idempotent_on_its_key_and_hands_the_worker_the_id_only(
    in_practice_a: object, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        first = _enqueue("confirm:same")
        again = _enqueue("confirm:same", to_email="someone-else@a.example.com")

    assert again.pk == first.pk
    assert OutboundEmail.objects.get().to_email == "new-owner@a.example.com"
    assert len(callbacks) == 1  # one `outbox_deliver`, for the one row


@pytest.mark.django_db
def test_plain_text_bodies_are_not_html_escaped(in_practice_a: object) -> None:
    email = email_enqueue(
        kind="owner_email_confirmation",
        to_email="new-owner@a.example.com",
        subject="Confirm\r\nBcc: someone@example.org",
        template_name=TEMPLATE,
        context={"first_name": "Ava & Bo", "practice_name": "O'Brien <Therapy>"},
        idempotency_key="confirm:escaping",
    )
    assert "Hello Ava & Bo," in email.body_text
    assert "O'Brien <Therapy>" in email.body_text
    assert email.subject == "Confirm Bcc: someone@example.org"  # one line: no header injection


@pytest.mark.django_db
def test_the_outbox_refuses_the_public_schema(cast: Cast) -> None:
    with pytest.raises(RuntimeError, match="practice's schema"):
        _enqueue("confirm:public")
    with pytest.raises(RuntimeError, match="practice's schema"):
        outbox_relay_practice(limit=10)


@pytest.mark.django_db
def test_an_email_due_later_waits_and_is_sent_once_its_time_comes(
    in_practice_a: object, mailoutbox: list[EmailMessage]
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        email = _enqueue("reminder:1", send_after=T0 + timedelta(hours=1))
        assert outbox_relay_practice(limit=10) == 0
        traveller.move_to(T0 + timedelta(minutes=59))
        assert outbox_relay_practice(limit=10) == 0
        assert _row(email).state == OutboundEmailState.QUEUED

        traveller.move_to(T0 + timedelta(hours=1))
        assert outbox_relay_practice(limit=10) == 1
        assert outbox_relay_practice(limit=10) == 0

    assert len(mailoutbox) == 1
    assert _row(email).sent_at == T0 + timedelta(hours=1)


@pytest.mark.django_db
def test_a_cancelled_email_is_never_sent(
    in_practice_a: object, mailoutbox: list[EmailMessage]
) -> None:
    email = _enqueue("confirm:cancel")
    assert email_cancel(idempotency_key="confirm:cancel") is True
    assert email_cancel(idempotency_key="confirm:cancel") is False
    assert email_cancel(idempotency_key="confirm:unknown") is False

    assert outbox_relay_practice(limit=10) == 0
    assert mailoutbox == []
    assert _row(email).state == OutboundEmailState.CANCELLED


@pytest.mark.django_db
def test_a_sent_email_cannot_be_cancelled(in_practice_a: object) -> None:
    email = _enqueue("confirm:sent")
    outbox_relay_practice(limit=10)
    assert email_cancel(idempotency_key="confirm:sent") is False
    assert _row(email).state == OutboundEmailState.SENT


@pytest.mark.django_db
def test_the_relay_sends_at_most_its_limit(
    in_practice_a: object, mailoutbox: list[EmailMessage]
) -> None:
    for number in range(3):
        _enqueue(f"confirm:{number}")
    assert outbox_relay_practice(limit=2) == 2
    assert outbox_relay_practice(limit=2) == 1
    assert len(mailoutbox) == 3


# --- Practices ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_email_in_a_is_never_sent_by_a_relay_running_in_b(
    cast: Cast, mailoutbox: list[EmailMessage]
) -> None:
    with cast.a.schema():
        email = _enqueue("confirm:a")
    with cast.b.schema():
        assert outbox_relay_practice(limit=10) == 0
        assert outbox_relay_one(email_id=email.pk) is False
    assert mailoutbox == []
    with cast.a.schema():
        assert _row(email).state == OutboundEmailState.QUEUED
        assert outbox_relay_practice(limit=10) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_run_outbox_sweeps_every_active_practice_and_no_other(
    cast: Cast, mailoutbox: list[EmailMessage]
) -> None:
    for practice in (cast.a, cast.b):
        with practice.schema():
            _enqueue("confirm:sweep", to_email=f"new-owner@{practice.host}")
    Practice.objects.filter(pk=cast.b.practice.pk).update(status=PracticeStatus.SUSPENDED)

    out = StringIO()
    with only_these_practices_active(cast.a.practice):
        call_command("run_outbox", stdout=out)

    assert out.getvalue() == "Sent 1 email.\n"
    assert [sent.to for sent in mailoutbox] == [["new-owner@a.localhost"]]
    with cast.b.schema():
        assert OutboundEmail.objects.get().state == OutboundEmailState.QUEUED


# --- Failures ------------------------------------------------------------------------------------
@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=f"{__name__}.UnreachableMailServer")
def test_a_failing_mail_server_is_retried_later_then_the_email_fails(in_practice_a: object) -> None:
    max_attempts = settings.PORTICO_OUTBOX_MAX_ATTEMPTS
    assert max_attempts == 5
    with time_machine.travel(T0, tick=False) as traveller:
        email = _enqueue("confirm:flaky")

        assert outbox_relay_practice(limit=10) == 0
        row = _row(email)
        assert (row.state, row.attempts) == (OutboundEmailState.QUEUED, 1)
        assert row.last_error == "SMTPResponseException 421"
        assert row.send_after > T0
        assert outbox_relay_practice(limit=10) == 0  # not retried before its time
        assert _row(email).attempts == 1

        for attempt in range(2, max_attempts + 1):
            traveller.move_to(_row(email).send_after)
            assert outbox_relay_practice(limit=10) == 0
            assert _row(email).attempts == attempt

    row = _row(email)
    assert (row.state, row.attempts, row.sent_at) == (OutboundEmailState.FAILED, max_attempts, None)
    with time_machine.travel(T0 + timedelta(days=30)):
        assert outbox_relay_practice(limit=10) == 0
    assert _row(email).attempts == max_attempts


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=f"{__name__}.RefusingMailServer")
def test_a_recipient_refused_for_good_fails_at_once_and_the_error_names_no_address(
    in_practice_a: object,
) -> None:
    email = _enqueue("confirm:refused")
    assert outbox_relay_practice(limit=10) == 0
    row = _row(email)
    assert (row.state, row.attempts) == (OutboundEmailState.FAILED, 1)
    assert row.last_error == "SMTPRecipientsRefused 550"


@pytest.mark.django_db
@override_settings(PORTICO_OUTBOX_MAX_ATTEMPTS=1)
def test_max_attempts_comes_from_settings(in_practice_a: object) -> None:
    email = _enqueue("confirm:once")
    with override_settings(EMAIL_BACKEND=f"{__name__}.UnreachableMailServer"):
        outbox_relay_practice(limit=10)
    assert _row(email).state == OutboundEmailState.FAILED


# --- Concurrency and the worker (committed rows) ------------------------------------------------
def test_two_relays_at_the_same_time_send_an_email_exactly_once(
    committed: Cast, gated_mail_server: type[GatedMailServer]
) -> None:
    with committed.a.schema():
        email = _enqueue("confirm:race")

    results = _relays_at_once(committed, gated_mail_server)

    # The relay holding the row made the other wait for nothing: it skipped the locked row.
    assert sorted(results) == [0, 1]
    assert gated_mail_server.first_was_released is True
    assert len(mail.outbox) == 1
    with committed.a.schema():
        assert _row(email).state == OutboundEmailState.SENT


def test_two_relays_at_the_same_time_share_the_work_and_send_nothing_twice(
    committed: Cast, gated_mail_server: type[GatedMailServer]
) -> None:
    with committed.a.schema():
        for number in range(6):
            _enqueue(f"confirm:share:{number}", to_email=f"owner{number}@a.example.com")

    results = _relays_at_once(committed, gated_mail_server)

    assert sum(results) == 6
    assert min(results) >= 1  # both relays sent: the second one went past the locked row
    assert gated_mail_server.first_was_released is True
    sent_to = Counter(address for sent in mail.outbox for address in sent.to)
    assert sent_to == Counter(f"owner{number}@a.example.com" for number in range(6))
    with committed.a.schema():
        assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_the_outbox_deliver_actor_sends_the_email_in_its_practice(
    committed: Cast, enqueued: list[dramatiq.Message]
) -> None:
    broker = dramatiq.get_broker()
    broker.flush(OUTBOX_QUEUE)
    with committed.a.schema():
        email = _enqueue("confirm:worker")  # autocommit: `outbox_deliver` is sent at once

    [message] = enqueued
    assert message.actor_name == "outbox_deliver"
    assert message.args == (email.pk,)
    assert message.kwargs == {}
    assert message.options[SCHEMA_OPTION] == committed.a.practice.schema_name
    assert mail.outbox == []

    worker = Worker(broker, queues={OUTBOX_QUEUE}, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(OUTBOX_QUEUE, timeout=10_000)
        worker.join()
    finally:
        worker.stop()

    assert [sent.to for sent in mail.outbox] == [["new-owner@a.example.com"]]
    with committed.a.schema():
        assert _row(email).state == OutboundEmailState.SENT
    with committed.b.schema():
        assert not OutboundEmail.objects.exists()


def test_run_outbox_loop_sweeps_until_interrupted_and_prints_only_sweeps_that_sent(
    committed: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []

    def pause(seconds: float) -> None:  # the operator's Ctrl-C, during the third pause
        pauses.append(seconds)
        if len(pauses) == 2:
            with committed.a.schema():
                _enqueue("confirm:loop:2")
        if len(pauses) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", pause)
    with committed.a.schema():
        _enqueue("confirm:loop:1")
    out = StringIO()
    call_command("run_outbox", "--loop", "2.5", stdout=out)

    assert out.getvalue() == "Sent 1 email.\nSent 1 email.\nStopped.\n"
    assert pauses == [2.5, 2.5, 2.5]
    assert len(mail.outbox) == 2
