"""Dramatiq on the real (embedded) Redis: every message runs in the schema it was sent from."""

from __future__ import annotations

from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq import Worker

from shared_apps.tasks.broker import SCHEMA_OPTION
from shared_apps.tenancy.db import current_schema_name
from tests.cast import Cast

pytestmark = pytest.mark.django_db
QUEUE = "tests-tenancy"
seen: list[tuple[str, str]] = []


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def record_schema(label: str) -> None:
    seen.append((label, current_schema_name()))


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def record_schema_then_raise(label: str) -> None:
    seen.append((label, current_schema_name()))
    raise RuntimeError("the actor failed on purpose")


@pytest.fixture
def worker() -> Iterator[Worker]:
    broker = dramatiq.get_broker()
    broker.flush(QUEUE)
    seen.clear()
    running = Worker(broker, queues={QUEUE}, worker_threads=1, worker_timeout=100)
    running.start()
    yield running
    running.stop()
    broker.flush(QUEUE)


def _drain(worker: Worker) -> None:
    dramatiq.get_broker().join(QUEUE, timeout=10_000)
    worker.join()


def test_actor_sent_from_a_runs_in_a_and_the_next_from_b_runs_in_b_even_after_a_failure(
    cast: Cast, worker: Worker
) -> None:
    with cast.a.schema():
        failing = record_schema_then_raise.send("from-a")
    with cast.b.schema():
        following = record_schema.send("from-b")
    record_schema.send("from-public")
    _drain(worker)

    assert failing.options[SCHEMA_OPTION] == cast.a.practice.schema_name
    assert following.options[SCHEMA_OPTION] == cast.b.practice.schema_name
    assert seen == [
        ("from-a", cast.a.practice.schema_name),
        ("from-b", cast.b.practice.schema_name),
        ("from-public", "public"),
    ]


@pytest.mark.parametrize("schema", [None, "p_doesnotexist", "pg_catalog"])
def test_message_without_a_valid_schema_is_refused_and_never_runs(
    cast: Cast, worker: Worker, schema: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    message = record_schema.message_with_options(args=("stray",), schema=schema)
    dramatiq.get_broker().enqueue(message)
    record_schema.send("after-the-stray")
    _drain(worker)

    assert seen == [("after-the-stray", "public")]
    assert any("Refused message" in record.getMessage() for record in caplog.records)


def test_a_retried_message_keeps_the_schema_it_was_first_sent_from(cast: Cast) -> None:
    broker = dramatiq.get_broker()
    with cast.a.schema():
        message = record_schema.message("retry")
        broker.emit_before("enqueue", message, 0)
    with cast.b.schema():
        broker.emit_before("enqueue", message, 0)  # what a retry from another context does
    assert message.options[SCHEMA_OPTION] == cast.a.practice.schema_name


@pytest.mark.parametrize("outcome", ["raised", "skipped"])
def test_connection_returns_to_public_after_a_message_whatever_happened(
    cast: Cast, outcome: str
) -> None:
    from shared_apps.tasks.broker import PracticeSchemaMiddleware

    broker = dramatiq.get_broker()
    middleware = PracticeSchemaMiddleware()
    message = record_schema.message_with_options(args=("x",), schema=cast.a.practice.schema_name)
    middleware.before_process_message(broker, message)
    assert current_schema_name() == cast.a.practice.schema_name
    if outcome == "raised":
        middleware.after_process_message(broker, message, exception=RuntimeError("boom"))
    else:
        middleware.after_skip_message(broker, message)
    assert current_schema_name() == "public"
