"""Sentry events leave without request bodies, cookies, auth headers or user identity."""

from __future__ import annotations

from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from config.sentry import scrub_event, sentry_init


class _CapturingTransport(Transport):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)


def test_scrub_event_removes_personal_data() -> None:
    event = {
        "request": {
            "url": "https://a.portico.example/forms/3/",
            "data": {"answer": "I feel low"},
            "cookies": {"sessionid": "abc"},
            "query_string": "email=someone@example.com",
            "headers": {"Cookie": "sessionid=abc", "Authorization": "Token x", "Accept": "*/*"},
        },
        "user": {"id": 12, "email": "someone@example.com", "username": "someone"},
        "tags": {"practice": "p_abc123def456"},
    }
    scrubbed: Any = scrub_event(event)  # type: ignore[arg-type]  # a raw event, as Sentry builds it
    assert "data" not in scrubbed["request"]
    assert "cookies" not in scrubbed["request"]
    assert "query_string" not in scrubbed["request"]
    assert scrubbed["request"]["headers"] == {
        "Cookie": "[scrubbed]",
        "Authorization": "[scrubbed]",
        "Accept": "*/*",
    }
    assert scrubbed["user"] == {"id": 12}
    assert scrubbed["tags"] == {"practice": "p_abc123def456"}


def test_sentry_is_initialised_only_with_a_dsn_and_never_sends_pii(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    sentry_init(dsn="", environment="test")
    assert calls == []
    sentry_init(dsn="https://key@sentry.example/1", environment="production")
    [options] = calls
    assert options["send_default_pii"] is False
    assert options["before_send"] is scrub_event
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"


@pytest.mark.django_db
def test_events_are_tagged_with_the_practice_and_scrubbed(cast: Any) -> None:
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
