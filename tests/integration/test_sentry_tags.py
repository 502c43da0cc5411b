"""Sentry events from a practice's host are tagged with its schema and leave scrubbed."""

from __future__ import annotations

from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from config.sentry import scrub_event
from tests.cast import Cast


class _CapturingTransport(Transport):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)


@pytest.mark.django_db
def test_events_are_tagged_with_the_practice_and_scrubbed(cast: Cast) -> None:
    transport = _CapturingTransport()
    sentry_sdk.init(
        dsn="http://public@127.0.0.1:9/1",
        transport=transport,
        send_default_pii=False,
        before_send=scrub_event,
    )
    try:
        with sentry_sdk.isolation_scope():
            cast.a.http().get("/")
            sentry_sdk.set_user({"id": 1, "email": "someone@example.com"})
            sentry_sdk.capture_message("something happened")
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_global_scope().set_client(None)
    [envelope] = transport.envelopes
    event = envelope.get_event()
    assert event["tags"]["practice"] == cast.a.practice.schema_name
    assert event["user"] == {"id": 1}
