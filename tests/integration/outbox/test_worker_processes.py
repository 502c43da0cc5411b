"""The outbox with real Dramatiq worker processes, the session's Redis and an SMTP sink.

What the scheduler does every 30 s in production (`outbox_sweep`, sent from `public`), these tests
do every 0.3 s (`_sweep_until`), and the worker processes retry after 0.5 s instead of a minute
(`PORTICO_OUTBOX_RETRY_SECONDS`): the same code paths, sooner.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator

import dramatiq
import pytest

from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.relay import INTERRUPTED
from tenant_apps.notifications.services import email_enqueue
from tenant_apps.notifications.tasks import OUTBOX_QUEUE, outbox_deliver, outbox_sweep
from tests.cast import Cast
from tests.smtp_sink import PERMANENT_FAILURE, TEMPORARY_FAILURE, SmtpSink
from tests.support.outbox import TEMPLATE, Workers, enqueue, row, wait_until

pytestmark = pytest.mark.usefixtures("committed")

QUIET_SECONDS = 2.0  # how long "nothing more happens" is watched for, sweeping all along


def _sweep_until(condition: Callable[[], bool], *, timeout: float = 20.0, what: str) -> None:
    """Send `outbox_sweep` (as the scheduler would) every 0.3 s until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        outbox_sweep.send()
        time.sleep(0.3)


def _sweep_for(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outbox_sweep.send()
        time.sleep(0.3)


def _is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_gone(pid: int) -> None:
    wait_until(lambda: _is_gone(pid), what=f"killed worker process {pid} to be gone")


def _state(cast: Cast, email: OutboundEmail) -> tuple[str, int, str]:
    current = row(cast, email)
    return current.state, current.attempts, current.last_error


@pytest.fixture
def client_of_a(committed: Cast) -> Iterator[Client]:
    """A committed client of A (its delivery log is checked); removed afterwards."""
    with committed.a.schema():
        client = Client.objects.create(
            first_name="Perma", last_name="Failson", email="perma.failson@example.org"
        )
    yield client
    with committed.a.schema():
        OutboundEmail.objects.filter(client=client).delete()
        Client.objects.filter(pk=client.pk).delete()


def test_a_duplicated_task_sends_one_email(
    committed: Cast, workers: Workers, sink: SmtpSink
) -> None:
    workers.start()
    workers.start()
    email = enqueue(committed, "worker:duplicate")  # `outbox_deliver` sent on commit…
    with committed.a.schema():
        message = outbox_deliver.message(email.pk)
        broker = dramatiq.get_broker()
        broker.enqueue(message)  # …and the very same task delivered twice more
        broker.enqueue(message)

    wait_until(lambda: row(committed, email).state == OutboundEmailState.SENT, what="the send")
    broker.join(OUTBOX_QUEUE, timeout=20_000)
    _sweep_for(QUIET_SECONDS)

    [received] = sink.received
    assert received.to == ("someone@a.example.com",)
    assert received.subject == "Confirm your email"
    assert _state(committed, email) == (OutboundEmailState.SENT, 1, "")
    assert "someone@a.example.com" not in workers.logs()


def test_a_worker_killed_mid_send_is_replaced_and_the_email_arrives_exactly_once(
    committed: Cast, workers: Workers, sink: SmtpSink
) -> None:
    workers.hold()
    workers.start()
    workers.start()
    email = enqueue(committed, "worker:killed")

    held = workers.held_pid()  # connected to the sink, row locked, attempt counted
    during = row(committed, email)
    assert (during.state, during.attempts) == (OutboundEmailState.QUEUED, 1)
    assert during.attempt_started_at is not None
    os.kill(held, signal.SIGKILL)
    _wait_gone(held)
    assert sink.received == []
    workers.release()

    _sweep_until(lambda: len(sink.received) == 1, what="the other worker to deliver")
    _sweep_for(QUIET_SECONDS)

    [received] = sink.received
    assert received.to == ("someone@a.example.com",)
    after = row(committed, email)
    assert (after.state, after.attempts, after.last_error) == (
        OutboundEmailState.SENT,
        2,
        INTERRUPTED,
    )
    assert after.attempt_started_at is None


def test_a_temporary_failure_is_retried_and_sends_one_email(
    committed: Cast, workers: Workers, sink: SmtpSink
) -> None:
    sink.answer_next(TEMPORARY_FAILURE)
    workers.start()
    email = enqueue(committed, "worker:temporary")

    wait_until(lambda: sink.refused == 1, what="the first attempt")
    wait_until(lambda: row(committed, email).attempt_started_at is None, what="its outcome")
    assert _state(committed, email) == (
        OutboundEmailState.QUEUED,
        1,
        "SMTPRecipientsRefused 451",
    )
    _sweep_until(lambda: len(sink.received) == 1, what="the retry")
    _sweep_for(QUIET_SECONDS)

    assert len(sink.received) == 1
    assert _state(committed, email) == (
        OutboundEmailState.SENT,
        2,
        "SMTPRecipientsRefused 451",
    )


def test_a_permanent_failure_is_failed_at_once_and_shown_in_the_delivery_log(
    committed: Cast, workers: Workers, sink: SmtpSink, client_of_a: Client
) -> None:
    sink.answer_next(PERMANENT_FAILURE, PERMANENT_FAILURE)
    workers.start()
    with committed.a.schema():
        email = email_enqueue(
            kind="client_invitation",
            to_email="perma.failson@example.org",
            subject="Your client portal at Practice A",
            template_name=TEMPLATE,
            context={"first_name": "Perma", "practice_name": "Practice A"},
            idempotency_key="worker:permanent",
            client=client_of_a,
        )

    wait_until(lambda: row(committed, email).state == OutboundEmailState.FAILED, what="the failure")
    _sweep_for(QUIET_SECONDS)

    assert sink.refused == 1  # no second attempt, ever
    assert sink.received == []
    assert _state(committed, email) == (OutboundEmailState.FAILED, 1, "SMTPRecipientsRefused 550")
    page = committed.a.signed_in(committed.a.owner).get(
        f"/staff/clients/{client_of_a.pk}/deliveries/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Portal invitation" in html
    assert "Failed (gave up)" in html
    assert "SMTPRecipientsRefused 550" in html
    assert "perma.failson@example.org" not in html
    assert "Your client portal" not in html


def test_a_crash_loop_is_given_up_after_max_attempts(
    committed: Cast, workers: Workers, sink: SmtpSink
) -> None:
    workers.extra_env["PORTICO_OUTBOX_MAX_ATTEMPTS"] = "2"
    workers.hold()
    workers.start()
    email = enqueue(committed, "worker:crash-loop")
    for attempt in (1, 2):
        held = workers.held_pid()
        assert row(committed, email).attempts == attempt
        os.kill(held, signal.SIGKILL)
        _wait_gone(held)
        workers.start()
        if attempt == 1:
            _sweep_until((workers.hook_dir / "holding").exists, what="attempt 2")
    workers.release()

    _sweep_until(lambda: row(committed, email).state == OutboundEmailState.FAILED, what="giving up")
    _sweep_for(QUIET_SECONDS)

    assert sink.received == []
    after = row(committed, email)
    assert (after.state, after.attempts, after.last_error) == (
        OutboundEmailState.FAILED,
        2,
        INTERRUPTED,
    )
    assert after.attempt_started_at is None


def test_workers_never_log_an_address_or_subject(
    committed: Cast, workers: Workers, sink: SmtpSink
) -> None:
    sink.answer_next(TEMPORARY_FAILURE)
    workers.start()
    email = enqueue(committed, "worker:logs", to_email="canary.address@example.org")
    _sweep_until(lambda: len(sink.received) == 1, what="the send")
    assert row(committed, email).state == OutboundEmailState.SENT

    sent_line = f"Sent outbox email {email.pk} (owner_email_confirmation)"
    wait_until(lambda: sent_line in workers.logs(), what="the worker's log line")  # after commit
    logs = workers.logs()
    for secret in ("canary.address", "Confirm your email", "Hello Nia"):
        assert secret not in logs
