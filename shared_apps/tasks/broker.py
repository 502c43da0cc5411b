"""Dramatiq on Redis, with the practice's schema carried by every message (DESIGN.md §5).

Actors take ids, never data. `PracticeSchemaMiddleware` records the schema that was active when a
message was enqueued and enters it, fresh for each message, before the actor runs; afterwards the
connection goes back to `public`, also when the actor raised or the message was skipped. A message
without a schema, or naming a schema that is neither `public` nor an existing practice's, is
refused: it fails (dead-letter queue) and never runs anywhere.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from typing import Any

import dramatiq
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django_tenants.utils import get_public_schema_name, schema_context
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Middleware, SkipMessage

from shared_apps.tenancy.db import current_schema_name, tenant_connection
from shared_apps.web.request_context import request_context

SCHEMA_OPTION = "schema"
logger = logging.getLogger(__name__)


class PracticeSchemaMiddleware(Middleware):
    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def actor_options(self) -> set[str]:
        return {SCHEMA_OPTION}

    def before_enqueue(
        self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int
    ) -> None:
        # setdefault: a retry is re-enqueued from the worker and must keep its original schema.
        message.options.setdefault(SCHEMA_OPTION, current_schema_name())

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        schema = message.options.get(SCHEMA_OPTION)
        if not isinstance(schema, str) or not _schema_exists(schema):
            logger.error(
                "Refused message %s for actor %s: %s.",
                message.message_id,
                message.actor_name,
                "it names no schema" if schema is None else "its schema does not exist",
            )
            message.fail()
            raise SkipMessage("no valid schema")
        context = schema_context(schema)
        context.__enter__()
        self._local.context = context
        request_context.set_schema(schema)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        self._leave_schema()

    def after_skip_message(self, broker: dramatiq.Broker, message: Any) -> None:
        self._leave_schema()

    def _leave_schema(self) -> None:
        context: AbstractContextManager[None] | None = getattr(self._local, "context", None)
        self._local.context = None
        try:
            if context is not None:
                context.__exit__(None, None, None)
        finally:
            tenant_connection.set_schema_to_public()
            request_context.clear()


class DatabaseConnectionsMiddleware(Middleware):
    """Close broken or expired database connections around each message, as Django does for
    each request, and close them all when a worker thread stops."""

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        close_old_connections()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        close_old_connections()

    after_skip_message = before_process_message

    def before_worker_thread_shutdown(self, broker: dramatiq.Broker, thread: Any) -> None:
        connections.close_all()


def _schema_exists(schema: str) -> bool:
    if schema == get_public_schema_name():
        return True
    from shared_apps.tenancy.models import Practice

    with schema_context(get_public_schema_name()):
        return Practice.objects.filter(schema_name=schema).exists()


def send_on_commit(
    actor: dramatiq.Actor[..., Any], *args: Any, delay_ms: int | None = None
) -> None:
    """Send `actor(*args)` once the current transaction commits, in the schema current NOW.

    `transaction.on_commit` callbacks run after the outermost atomic block has exited, usually
    after a `schema_context` has switched back to `public`; the schema must be captured here.
    A failed send (Redis down) is logged, never raised: callers pair it with a periodic sweep.
    """
    schema = current_schema_name()

    def send() -> None:
        try:
            actor.send_with_options(args=args, delay=delay_ms, schema=schema)
        except Exception as error:
            logger.warning(
                "Could not queue %s (%s); its periodic sweep will pick the work up.",
                actor.actor_name,
                type(error).__name__,
            )

    transaction.on_commit(send)


def broker_create(redis_url: str) -> RedisBroker:
    broker = RedisBroker(url=redis_url)
    broker.add_middleware(DatabaseConnectionsMiddleware())
    broker.add_middleware(PracticeSchemaMiddleware())
    return broker


def broker_install() -> RedisBroker:
    """Create the broker from settings.REDIS_URL and make it Dramatiq's global broker."""
    broker = broker_create(settings.REDIS_URL)
    dramatiq.set_broker(broker)
    return broker
