"""Answers for pages reached by a one-time link (the raw token is in the path)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shared_apps.tenancy.context import current_practice
from shared_apps.web.one_time_link import one_time_link_mark

logger = logging.getLogger(__name__)


def no_referrer(response: HttpResponse) -> HttpResponse:
    """Token pages must not leak their address to whatever the next page loads."""
    response["Referrer-Policy"] = "no-referrer"
    return response


def link_not_valid(request: HttpRequest) -> HttpResponse:
    """The friendly 404 for an unknown, used or expired link, logged without its path (the path
    may hold the raw token)."""
    response = render(
        request,
        "practice_accounts/link_not_valid.html",
        {"practice": current_practice()},
        status=404,
    )
    # Django's "Not Found: <path>" is dropped for a marked request; this line says which page.
    one_time_link_mark(request)
    logger.info(
        "Account link not valid (%s)",
        request.resolver_match.url_name if request.resolver_match else "",
    )
    return no_referrer(response)
