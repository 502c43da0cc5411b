"""Request ids for logs, and `Cache-Control: no-store` wherever PHI may be on the page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from shared_apps.web.request_context import request_context

Handler = Callable[[HttpRequest], HttpResponse]
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID when it is well-formed, else make one; echo it back."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Set afresh for every request and deliberately not cleared on the way out: Django logs
        # 4xx/5xx responses after the whole middleware chain has returned.
        request_context.set_request_id(request_id)
        request_context.set_schema("public")
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Every response from a practice host, and every signed-in page anywhere, is `no-store`:
    neither the browser nor a shared cache may keep a copy of a page that can hold PHI."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        on_practice_host = getattr(request, "tenant", None) is not None
        if signed_in or on_practice_host:
            patch_cache_control(response, no_store=True, private=True)
        return response
