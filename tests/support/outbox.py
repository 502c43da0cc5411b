"""Real parts for the outbox tests: the session's Redis, real Dramatiq worker *processes* and a
real SMTP server on loopback (the fixtures are in tests/integration/outbox/conftest.py).

Worker processes only see committed rows, so these tests run without a test transaction
(`committed_outbox`) and delete, afterwards, every outbox row they made and the outbox queue's
messages. A worker is `python -m dramatiq config.worker` with the test settings, pointed at the
test database, the session's Redis and the sink, and with the relay's test hook folder
(`PORTICO_OUTBOX_TEST_HOLD_DIR`, see `tenant_apps/notifications/relay.py`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dramatiq
from django.db import connection
from django.db.models import Model

from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.notifications.services import email_enqueue
from tenant_apps.notifications.tasks import OUTBOX_QUEUE
from tests.cast import Cast
from tests.smtp_sink import SmtpSink

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = "notifications/email/owner_email_confirmation.txt"
# Fast retries in the worker processes: the first retry 0.5 s after a failed or cut-off attempt.
RETRY_SECONDS = 0.5


@contextlib.contextmanager
def only_these_practices_active(*practices: Practice) -> Iterator[None]:
    """Suspend every other active practice for the block, then make them active again.

    Relays sweep every active practice: practices other tests committed (the browser tests' demo
    practice, whose unread-message emails fall due minutes later) must neither reach this test's
    mail server nor have their emails sent by it."""
    others = list(
        Practice.objects.filter(status=PracticeStatus.ACTIVE)
        .exclude(pk__in=[practice.pk for practice in practices])
        .values_list("pk", flat=True)
    )
    Practice.objects.filter(pk__in=others).update(status=PracticeStatus.SUSPENDED)
    try:
        yield
    finally:
        Practice.objects.filter(pk__in=others).update(status=PracticeStatus.ACTIVE)


def rows_delete(cast: Cast, *models: type[Model]) -> None:
    """Delete every row of `models` in practices A and B (committed by a test without a test
    transaction)."""
    for practice in (cast.a, cast.b):
        with practice.schema():
            for model in models:
                model._default_manager.all().delete()


@contextlib.contextmanager
def committed_outbox(cast: Cast, django_db_blocker: Any) -> Iterator[Cast]:
    """Rows that other threads and processes can see: no test transaction, and only A and B
    active (see `only_these_practices_active`). Deletes every outbox row of A and B and drops the
    outbox queue's messages afterwards (the session's practices stay)."""
    with (
        django_db_blocker.unblock(),
        only_these_practices_active(cast.a.practice, cast.b.practice),
    ):
        try:
            yield cast
        finally:
            rows_delete(cast, OutboundEmail)
            dramatiq.get_broker().flush(OUTBOX_QUEUE)


def enqueue(cast: Cast, key: str, *, to_email: str = "someone@a.example.com") -> OutboundEmail:
    """Queue one email in A, committed (autocommit): `outbox_deliver` is sent at once."""
    with cast.a.schema():
        return email_enqueue(
            kind="owner_email_confirmation",
            to_email=to_email,
            subject="Confirm your email",
            template_name=TEMPLATE,
            context={"first_name": "Nia", "practice_name": "Practice A"},
            idempotency_key=key,
        )


def row(cast: Cast, email: OutboundEmail) -> OutboundEmail:
    with cast.a.schema():
        return OutboundEmail.objects.get(pk=email.pk)


def wait_until(condition: Callable[[], bool], *, timeout: float = 20.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def worker_database_url() -> str:
    """DATABASE_URL of the session's test database (pytest-django renamed it in settings only)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


@dataclass
class Workers:
    """Dramatiq worker processes (each its own process group) and the relay's test hook."""

    sink: SmtpSink
    hook_dir: Path
    log_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, **env: str) -> subprocess.Popen[bytes]:
        """Start `dramatiq config.worker` (1 process, 1 thread) on the outbox queue."""
        environment = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PORTICO_OUTBOX_RETRY_SECONDS": str(RETRY_SECONDS),
            "PORTICO_OUTBOX_TEST_HOLD_DIR": str(self.hook_dir),
            "PYTHONUNBUFFERED": "1",
            **self.sink.environment(),
            **self.extra_env,
            **env,
        }
        log = (self.log_dir / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "dramatiq",
                "config.worker",
                "--processes",
                "1",
                "--threads",
                "1",
                "--queues",
                OUTBOX_QUEUE,
            ],
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.started.append(process)
        return process

    def hold(self) -> None:
        """From now on, a relay that has connected to the mail server waits there (mid-send)."""
        (self.hook_dir / "hold").touch()

    def release(self) -> None:
        (self.hook_dir / "hold").unlink(missing_ok=True)

    def held_pid(self, *, timeout: float = 30.0) -> int:
        """The process id of the worker process holding mid-send (waits for one)."""
        holding = self.hook_dir / "holding"
        wait_until(holding.exists, timeout=timeout, what="a worker to hold mid-send")
        pid = int(holding.read_text())
        holding.unlink()
        return pid

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.started:
            _signal_group(process, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
