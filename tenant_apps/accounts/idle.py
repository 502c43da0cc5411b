"""Sign a person out after a stretch of inactivity; guard the htmx fragments pages poll.

On a practice's host every signed-in session (staff and clients alike) carries the time of its
holder's last activity. A request that arrives `PORTICO_IDLE_TIMEOUT_SECONDS` (default 30 minutes)
or more after it ends the session: the person is signed out (audited as `signout` with reason
`idle`) and sent to sign-in. Every request to a view counts as activity, except views decorated
`htmx_fragment(passive=True)`: the periodic htmx requests a page makes by itself (the bell's count,
new messages) would otherwise keep an unattended screen signed in for ever.

Writes are kept rare: the timestamp is rewritten (and so the session saved) at most once a minute,
so the deadline is exact to within that minute, and a passive poll never writes the session at all,
neither the timestamp nor the session's own expiry.

Practice hosts only: operators on the platform host are not covered here (the console has its own
session rules), which is why this lives in `tenant_apps/accounts/`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from shared_apps.accounts.models import User
from shared_apps.web.origin import request_origin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record

LAST_ACTIVITY_SESSION_KEY = "portico:last_activity"
PASSIVE_POLL_ATTRIBUTE = "portico_passive_poll"
# At most one session write a minute for activity (fewer for a very short timeout in tests).
_STAMP_EVERY_SECONDS = 60

Handler = Callable[[HttpRequest], HttpResponse]
View = TypeVar("View", bound=Callable[..., Any])


def htmx_fragment(*, passive: bool) -> Callable[[View], View]:
    """Guard a view that answers an htmx fragment, never a page. Put it outermost (above
    `staff_required` and the like).

    A signed-out request (idle, signed out in another tab, access revoked) gets 401 with
    `HX-Redirect` to sign-in, so the page holding PHI goes away instead of the sign-in page being
    swapped into the fragment. `passive=True` marks the periodic requests a page makes by itself
    (polling): they neither extend the idle deadline nor save the session; an idle-expired session
    is still signed out on such a request."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _htmx_to_sign_in(request, resolve_url(settings.LOGIN_URL))
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        setattr(wrapper, PASSIVE_POLL_ATTRIBUTE, passive)
        return wrapper  # type: ignore[return-value]

    return decorator


def idle_timeout_seconds() -> int:
    return int(settings.PORTICO_IDLE_TIMEOUT_SECONDS)


def _stamp_every(timeout: int) -> int:
    return max(1, min(_STAMP_EVERY_SECONDS, timeout // 30))


def _now() -> int:
    return int(time.time())


class IdleTimeoutMiddleware:
    """Sits after authentication and messages. Costs no query on the way through: it reads the
    session only; the user row is loaded only for the audit entry of an idle sign-out."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            getattr(request, "tenant", None) is None
            or session is None
            or SESSION_KEY not in session
        ):
            return self.get_response(request)
        last_activity = session.get(LAST_ACTIVITY_SESSION_KEY)
        now = _now()
        if not isinstance(last_activity, int):
            # A session from before this middleware (or `force_login`): its clock starts now.
            session[LAST_ACTIVITY_SESSION_KEY] = now
        elif now - last_activity >= idle_timeout_seconds():
            response = self._sign_out(request)
            if response is not None:
                return response
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        """Count the request as activity unless its view is a passive poll."""
        if getattr(view_func, PASSIVE_POLL_ATTRIBUTE, False):
            return
        session = getattr(request, "session", None)
        if (
            getattr(request, "tenant", None) is None
            or session is None
            or SESSION_KEY not in session
        ):
            return
        now = _now()
        last_activity = session.get(LAST_ACTIVITY_SESSION_KEY)
        if not isinstance(last_activity, int) or (
            now - last_activity >= _stamp_every(idle_timeout_seconds())
        ):
            session[LAST_ACTIVITY_SESSION_KEY] = now

    def _sign_out(self, request: HttpRequest) -> HttpResponse | None:
        """End the session. The answer: htmx → 401 with `HX-Redirect` to sign-in (the page goes
        there, not the fragment's target); API → 401 JSON; a page → redirect to sign-in and back.
        None for the sign-in page itself, which then simply shows as signed out."""
        user = request.user
        if isinstance(user, User):
            audit_record(
                action=AuditAction.SIGNOUT,
                actor=user,
                origin=request_origin(request),
                object_type="user",
                object_id=user.pk,
                detail={"reason": "idle"},
            )
        logout(request)
        sign_in = resolve_url(settings.LOGIN_URL)
        if request.path == sign_in:
            return None
        minutes = max(1, idle_timeout_seconds() // 60)
        notice = f"You were signed out after {minutes} minutes without activity."
        if request.headers.get("HX-Request") == "true":
            return _htmx_to_sign_in(request, sign_in)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": notice}, status=401)
        messages.info(request, notice)
        return redirect_to_login(request.get_full_path())


def _htmx_to_sign_in(request: HttpRequest, sign_in: str) -> HttpResponse:
    """401 with `HX-Redirect`: htmx then loads sign-in as the whole page (it honours the header
    whatever the status), coming back to the page the fragment was on (htmx sends its URL) when
    that is a page of this very host."""
    target = sign_in
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        target = redirect_to_login(path, login_url=sign_in)["Location"]
    response = HttpResponse("Signed out.", status=401, content_type="text/plain")
    response["HX-Redirect"] = target
    return response
