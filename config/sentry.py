"""Sentry, initialised only when SENTRY_DSN is set, and scrubbed of personal data before sending."""

from __future__ import annotations

from typing import Any, cast

import sentry_sdk
from sentry_sdk.types import Event, Hint

_SCRUBBED = "[scrubbed]"
_REQUEST_FIELDS_DROPPED = ("data", "cookies", "query_string")
_SENSITIVE_HEADERS = {"cookie", "authorization", "x-csrftoken", "referer"}


def sentry_init(*, dsn: str, environment: str) -> None:
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        traces_sample_rate=0.0,
    )


def scrub_event(event: Event, hint: Hint | None = None) -> Event:
    """Remove request bodies, cookies, query strings, auth headers and user identity from an event.

    Keeps the user's id (an integer, meaningful only inside one practice) and the `practice` tag
    (an opaque schema name). Stack-frame variables are never collected (include_local_variables).
    """
    data = cast(dict[str, Any], event)
    request = data.get("request")
    if isinstance(request, dict):
        for field in _REQUEST_FIELDS_DROPPED:
            request.pop(field, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: (_SCRUBBED if name.lower() in _SENSITIVE_HEADERS else value)
                for name, value in headers.items()
            }
    user = data.get("user")
    if isinstance(user, dict):
        data["user"] = {"id": user["id"]} if "id" in user else {}
    return event
