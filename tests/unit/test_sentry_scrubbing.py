"""Sentry events leave without request bodies, cookies, auth headers or user identity."""

from __future__ import annotations

from typing import Any

import pytest
import sentry_sdk

from config.sentry import scrub_event, sentry_init


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
