"""The relay in this process against real SMTP servers on loopback: how each answer is classified,
the delivery counter, cut-off attempts and the Message-ID. Inside the test transaction."""

from __future__ import annotations

import smtplib
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.mail import BadHeaderError
from django.test import override_settings
from django.utils import timezone

from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.relay import (
    INTERRUPTED,
    is_permanent,
    message_id_for,
    outbox_relay_practice,
    retry_delay,
)
from tenant_apps.notifications.services import email_enqueue
from tests.smtp_sink import PERMANENT_FAILURE, TEMPORARY_FAILURE, SmtpSink
from tests.support.outbox import TEMPLATE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_practice_a")]
T0 = datetime(2031, 5, 6, 7, 0, tzinfo=UTC)


def _enqueue(key: str = "relay:1") -> OutboundEmail:
    return email_enqueue(
        kind="owner_email_confirmation",
        to_email="someone@a.example.com",
        subject="Confirm your email",
        template_name=TEMPLATE,
        context={"first_name": "Nia", "practice_name": "Practice A"},
        idempotency_key=key,
    )


def _row(email: OutboundEmail) -> OutboundEmail:
    return OutboundEmail.objects.get(pk=email.pk)


@pytest.fixture
def silent_server() -> Iterator[tuple[int, threading.Event]]:
    """A TCP server on loopback that accepts connections and then says nothing (the Event, once
    set, makes it hang up on each new connection instead)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    hang_up = threading.Event()
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            if hang_up.is_set():
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], hang_up
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_an_email_goes_out_with_one_stable_message_id_and_its_attempt_counted(
    through_sink: SmtpSink,
) -> None:
    email = _enqueue()
    assert outbox_relay_practice(limit=10) == 1
    [received] = through_sink.received
    assert received.message_id == message_id_for(email)
    assert received.message_id.startswith("<outbox.")
    assert "someone" not in received.message_id
    sent = _row(email)
    assert (sent.state, sent.attempts, sent.last_error) == (OutboundEmailState.SENT, 1, "")
    assert sent.attempt_started_at is None


def test_a_451_is_retried_after_the_backoff_then_sent_once(through_sink: SmtpSink) -> None:
    through_sink.answer_next(TEMPORARY_FAILURE)
    with time_machine.travel(T0, tick=False) as traveller:
        email = _enqueue()
        assert outbox_relay_practice(limit=10) == 0
        failed_once = _row(email)
        assert (failed_once.state, failed_once.attempts, failed_once.last_error) == (
            OutboundEmailState.QUEUED,
            1,
            "SMTPRecipientsRefused 451",
        )
        assert failed_once.send_after == T0 + timedelta(minutes=1)
        traveller.move_to(T0 + timedelta(seconds=59))
        assert outbox_relay_practice(limit=10) == 0
        traveller.move_to(T0 + timedelta(minutes=1))
        assert outbox_relay_practice(limit=10) == 1
        assert outbox_relay_practice(limit=10) == 0
    [received] = through_sink.received
    assert received.message_id == message_id_for(email)
    assert _row(email).attempts == 2


def test_a_550_fails_at_once_and_is_never_tried_again(through_sink: SmtpSink) -> None:
    through_sink.answer_next(PERMANENT_FAILURE, PERMANENT_FAILURE)
    email = _enqueue()
    assert outbox_relay_practice(limit=10) == 0
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3)):
        assert outbox_relay_practice(limit=10) == 0
    failed = _row(email)
    assert (failed.state, failed.attempts, failed.last_error) == (
        OutboundEmailState.FAILED,
        1,
        "SMTPRecipientsRefused 550",
    )
    assert through_sink.refused == 1
    assert through_sink.received == []


def test_a_refused_connection_is_temporary(sink: SmtpSink) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    email = _enqueue()
    with override_settings(**{**sink.settings(), "EMAIL_PORT": port}):
        assert outbox_relay_practice(limit=10) == 0
    row = _row(email)
    assert (row.state, row.attempts, row.last_error) == (
        OutboundEmailState.QUEUED,
        1,
        "ConnectionRefusedError",
    )


def test_a_server_that_hangs_up_or_never_answers_is_temporary(
    sink: SmtpSink, silent_server: tuple[int, threading.Event]
) -> None:
    port, hang_up = silent_server
    email = _enqueue()
    with override_settings(**{**sink.settings(), "EMAIL_PORT": port, "EMAIL_TIMEOUT": 0.3}):
        assert outbox_relay_practice(limit=10) == 0
        # smtplib reports a reply that timed out as a disconnection.
        assert _row(email).last_error == "SMTPServerDisconnected"
        hang_up.set()
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):
            assert outbox_relay_practice(limit=10) == 0
    row = _row(email)
    assert (row.state, row.attempts, row.last_error) == (
        OutboundEmailState.QUEUED,
        2,
        "SMTPServerDisconnected",
    )


def test_an_attempt_cut_off_mid_send_is_retried_after_the_backoff_and_recorded(
    through_sink: SmtpSink,
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        email = _enqueue()
        # What a relay that died mid-send leaves behind: attempt counted, never finished.
        OutboundEmail.objects.filter(pk=email.pk).update(
            attempts=1, attempt_started_at=T0, send_after=T0 + retry_delay(1)
        )
        assert outbox_relay_practice(limit=10) == 0  # not before its backoff
        traveller.move_to(T0 + retry_delay(1))
        assert outbox_relay_practice(limit=10) == 1
    row = _row(email)
    assert (row.state, row.attempts, row.last_error) == (OutboundEmailState.SENT, 2, INTERRUPTED)
    assert len(through_sink.received) == 1


@override_settings(PORTICO_OUTBOX_MAX_ATTEMPTS=3)
def test_an_email_whose_attempts_keep_being_cut_off_is_given_up_without_sending(
    through_sink: SmtpSink,
) -> None:
    email = _enqueue()
    cut_off_at = timezone.now() - timedelta(minutes=5)
    OutboundEmail.objects.filter(pk=email.pk).update(
        attempts=3, attempt_started_at=cut_off_at, send_after=cut_off_at
    )
    assert outbox_relay_practice(limit=10) == 0
    row = _row(email)
    assert (row.state, row.attempts, row.last_error) == (OutboundEmailState.FAILED, 3, INTERRUPTED)
    assert row.attempt_started_at is None
    assert through_sink.received == []


def test_a_cancelled_email_is_not_sent_even_when_cancelled_after_it_was_due(
    through_sink: SmtpSink,
) -> None:
    email = _enqueue()
    OutboundEmail.objects.filter(pk=email.pk).update(state=OutboundEmailState.CANCELLED)
    assert outbox_relay_practice(limit=10) == 0
    assert through_sink.received == []


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no")}), True),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"later")}), False),
        (smtplib.SMTPSenderRefused(553, b"no", "from@example.org"), True),
        (smtplib.SMTPDataError(554, b"rejected"), True),
        (smtplib.SMTPDataError(452, b"full"), False),
        (smtplib.SMTPResponseException(421, b"closing"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),  # our configuration
        (smtplib.SMTPConnectError(554, b"no service"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(), False),
        (TimeoutError(), False),
        (BadHeaderError("newline in header"), True),
    ],
)
def test_errors_are_classified_permanent_or_temporary(error: Exception, permanent: bool) -> None:
    assert is_permanent(error) is permanent


def test_the_backoff_grows_fourfold_and_is_capped() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
        timedelta(minutes=64),
    ]
    assert retry_delay(12) == timedelta(hours=6)
