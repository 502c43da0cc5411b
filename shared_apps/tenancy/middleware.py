"""Route each request by host to the platform (public schema) or to one practice's schema."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils import timezone

from shared_apps.tenancy.db import current_schema_name, tenant_connection
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import host_route
from shared_apps.web.request_context import request_context

SESSION_SCHEMA_KEY = "_portico_schema"

Handler = Callable[[HttpRequest], HttpResponse]


class PracticeRoutingMiddleware:
    """`PORTICO_DOMAIN` → public schema and `urls_public`; a practice's host → its schema and
    `urls_tenant`; a practice's retired subdomain → permanent redirect to its current host, same
    path; any other host → a 404 page (never the public site). A practice that is not
    active (suspended, offboarding) gets a neutral "portal unavailable" page with HTTP 503, so
    clients and crawlers treat it as temporary and nothing about the practice is revealed.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant_connection.set_schema_to_public()
        host, port = split_domain_port(request.get_host())
        if host == settings.PORTICO_DOMAIN:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)

        route = host_route(host)
        if route is None:
            return render(request, "tenancy/unknown_host.html", status=404)
        if route.redirect_host is not None:
            new_host = route.redirect_host + (f":{port}" if port else "")
            return HttpResponsePermanentRedirect(
                f"{request.scheme}://{new_host}{request.get_full_path()}"
            )
        practice = route.practice
        if not practice.is_serving:
            response = render(request, "tenancy/portal_unavailable.html", status=503)
            response["Retry-After"] = "3600"
            return response

        practice.domain_url = host
        request.tenant = practice  # type: ignore[attr-defined]
        tenant_connection.set_tenant(practice)
        request_context.set_schema(practice.schema_name)
        sentry_sdk.set_tag("practice", practice.schema_name)
        try:
            return self.get_response(request)
        finally:
            tenant_connection.set_schema_to_public()


class SessionSchemaGuardMiddleware:
    """Bind each session to the schema it was made in, and refuse it anywhere else.

    Each practice already has its own session table, so a cookie from practice A finds nothing on
    practice B's host; this is the second lock, for a session store that is ever shared.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        schema = current_schema_name()
        session = request.session
        bound_schema = session.get(SESSION_SCHEMA_KEY)
        if bound_schema is not None and bound_schema != schema:
            session.flush()
        response = self.get_response(request)
        if session.modified and not session.is_empty() and SESSION_SCHEMA_KEY not in session:
            session[SESSION_SCHEMA_KEY] = schema
        return response


class PracticeTimeZoneMiddleware:
    """Show times on a practice's host in the practice's time zone (Settings > Portal), for its
    staff and its clients alike; the platform host stays in UTC. Times are stored in UTC anyway.
    An unknown zone name falls back to UTC rather than failing the page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        practice = getattr(request, "tenant", None)
        if not isinstance(practice, Practice):
            return self.get_response(request)
        try:
            timezone.activate(ZoneInfo(practice.time_zone))
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
