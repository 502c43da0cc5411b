"""Redis down: a client's message is still sent and its notification committed; once Redis is
back, the scheduler's sweep has a worker deliver exactly one email.

Stops and restarts the session's embedded Redis (skipped when REDIS_URL is not the embedded one).
Runs in a practice of its own (C), made for the test and removed afterwards, so that the message,
notifications and audit rows it commits never reach A's or B's.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dramatiq
import pytest
import redis
from django.utils import timezone
from django_tenants.utils import schema_context
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.embedded.layout import EmbeddedLayout
from provisioning.services import (
    practice_client_account_create,
    practice_create_migrated,
    practice_staff_create,
)
from shared_apps.accounts.models import StaffRole, User
from shared_apps.tenancy.models import Practice
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.models import Message
from tenant_apps.messaging.services import STAFF_EMAIL_KIND
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.tasks import outbox_deliver, outbox_sweep
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import PASSWORD, Cast
from tests.cleanup import practice_remove
from tests.smtp_sink import SmtpSink
from tests.support.outbox import (
    REPO,
    Workers,
    only_these_practices_active,
    wait_until,
    worker_database_url,
)

MESSAGE_TEXT = "Canary-7d41: can we move Thursday's session?"
OWNER_EMAIL = "owner@c.example.com"


@dataclass(frozen=True)
class PracticeC:
    practice: Practice
    owner: User
    client_user: User
    client: Client
    host: str = "c.localhost"


def _embedded_redis_socket() -> Path | None:
    parts = urlsplit(os.environ.get("REDIS_URL", ""))
    socket_path = Path(parts.path)
    if parts.scheme != "unix" or socket_path.name != "redis.sock":
        return None
    return socket_path


def _redis_is_up(socket_path: Path) -> bool:
    client = redis.Redis(unix_socket_path=str(socket_path), retry=Retry(NoBackoff(), 0))
    try:
        return bool(client.ping())
    except (redis.ConnectionError, FileNotFoundError):
        return False
    finally:
        client.close()


@pytest.fixture
def redis_switch() -> Iterator[tuple[Any, Any]]:
    """(stop, start) for the session's embedded Redis; it is always running again afterwards."""
    socket_path = _embedded_redis_socket()
    if socket_path is None:
        pytest.skip("needs the embedded Redis of `python -m config.embedded test`")
    layout = EmbeddedLayout(socket_path.parent.parent)

    def stop() -> None:
        client = redis.Redis(unix_socket_path=str(socket_path), retry=Retry(NoBackoff(), 0))
        with contextlib.suppress(redis.ConnectionError):  # it hangs up as it exits
            client.shutdown(nosave=True)
        wait_until(lambda: not _redis_is_up(socket_path), what="Redis to stop")

    def start() -> None:
        from config.embedded.redis import redis_ensure

        if not _redis_is_up(socket_path):
            redis_ensure(layout, persist=False)

    try:
        yield stop, start
    finally:
        start()


@pytest.fixture
def practice_c(cast: Cast, django_db_blocker: Any) -> Iterator[PracticeC]:
    with django_db_blocker.unblock():
        practice = practice_create_migrated(name="Practice C", subdomain="c")
        try:
            owner = practice_staff_create(
                practice=practice, email=OWNER_EMAIL, password=PASSWORD, role=StaffRole.OWNER
            )
            client_user = practice_client_account_create(
                practice=practice, email="client@c.example.com", password=PASSWORD
            )
            with schema_context(practice.schema_name):
                client = Client.objects.create(
                    first_name="Casey",
                    last_name="Outage",
                    email=client_user.email,
                    account=client_user,
                )
                PortalAccess.objects.create(client=client, secure_messaging=True, allows_email=True)
            with only_these_practices_active(practice):
                yield PracticeC(practice, owner, client_user, client)
        finally:
            practice_remove(practice)


def test_with_redis_down_a_message_is_sent_and_its_email_goes_out_once_redis_is_back(
    practice_c: PracticeC,
    redis_switch: tuple[Any, Any],
    workers: Workers,
    sink: SmtpSink,
) -> None:
    """(The practice's fixture keeps database access open for the whole test.)"""
    stop_redis, start_redis = redis_switch
    workers.start()  # running through the outage, as in production
    browser = _signed_in_client(practice_c)

    stop_redis()
    response = browser.post("/messages/", {"body": MESSAGE_TEXT})

    assert response.status_code == 302  # sent: back to the conversation
    assert response["Location"] == "/messages/"
    with schema_context(practice_c.practice.schema_name):
        assert list(Message.objects.values_list("body", "sender_id")) == [
            (MESSAGE_TEXT, practice_c.client_user.pk)
        ]
        assert StaffNotification.objects.filter(recipient=practice_c.owner).count() == 1
        email = OutboundEmail.objects.get()
        assert (email.kind, email.to_email, email.state, email.client_id) == (
            STAFF_EMAIL_KIND,
            OWNER_EMAIL,
            OutboundEmailState.QUEUED,
            practice_c.client.pk,
        )
        # The practice's unread delay (2 minutes) passes.
        OutboundEmail.objects.filter(pk=email.pk).update(send_after=timezone.now())

    start_redis()
    scheduler = _start_scheduler(workers)
    try:
        [received] = sink.wait_for(1, timeout=30)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=15)
    # A late duplicate of its task and further sweeps change nothing.
    with schema_context(practice_c.practice.schema_name):
        outbox_deliver.send(email.pk)
    for _ in range(6):
        outbox_sweep.send()
        time.sleep(0.3)

    assert sink.received == [received]
    assert received.to == (OWNER_EMAIL,)
    assert received.subject == "A client message is waiting at Practice C"
    assert "Canary-7d41" not in received.body
    assert "Casey" not in received.body
    with schema_context(practice_c.practice.schema_name):
        sent = OutboundEmail.objects.get(pk=email.pk)
    assert (sent.state, sent.attempts) == (OutboundEmailState.SENT, 1)
    assert "Canary-7d41" not in workers.logs()
    dramatiq.get_broker().flush_all()  # the scheduler's other jobs, which no test consumes


def _signed_in_client(practice_c: PracticeC) -> Any:
    from django.test import Client as Browser

    browser = Browser(HTTP_HOST=practice_c.host)
    with schema_context(practice_c.practice.schema_name):
        browser.force_login(practice_c.client_user)
    return browser


def _start_scheduler(workers: Workers) -> subprocess.Popen[bytes]:
    """`manage.py run_scheduler`, as `make dev` runs it: its first tick sends `outbox_sweep`."""
    log = (workers.log_dir / "scheduler.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=REPO,
        env={
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process
