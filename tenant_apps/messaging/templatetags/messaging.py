"""`{% messages_badge %}`: the count of unread secure messages beside a Messages link, polled."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from shared_apps.accounts.models import User
from tenant_apps.accounts.two_factor import TOTP_PENDING_SESSION_KEY
from tenant_apps.clients.models import Client
from tenant_apps.messaging.selectors import staff_may_read_messages, unread_message_count

register = template.Library()


def poll_seconds() -> int:
    """How often pages ask for new messages and counts (`PORTICO_MESSAGING_POLL_SECONDS`)."""
    return max(1, int(settings.PORTICO_MESSAGING_POLL_SECONDS))


def badge_context(user: User, *, is_staff: bool) -> dict[str, Any]:
    return {
        "show_badge": True,
        "is_staff": is_staff,
        "unread_count": unread_message_count(user=user),
        "poll_seconds": poll_seconds(),
    }


def _lazy_badge(*, is_staff: bool) -> dict[str, Any]:
    """The badge without its count: the page asks for it right after loading (no query while
    the page renders, so a page costs the same queries with or without messaging)."""
    return {
        "show_badge": True,
        "is_staff": is_staff,
        "unread_count": 0,
        "poll_seconds": poll_seconds(),
        "with_style": True,
        "lazy": True,
    }


@register.inclusion_tag("messaging/_badge.html", takes_context=True)
def messages_badge(context: template.Context, *, staff_only: bool = False) -> dict[str, Any]:
    """For staff who may read messages: a Messages link whose unread count is fetched by htmx as
    soon as the page has loaded, then polled. For a client: the same, when the page's
    `portal_access` has secure messaging on. Nothing
    for anyone else, nor for a staff session still pending its two-factor step."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not isinstance(user, User) or not user.is_authenticated:
        return {"show_badge": False}
    if user.is_practice_staff:
        if request.session.get(TOTP_PENDING_SESSION_KEY) or not staff_may_read_messages(user):
            return {"show_badge": False}
        return _lazy_badge(is_staff=True)
    access = context.get("portal_access")
    if not staff_only and user.is_client and getattr(access, "secure_messaging", False):
        return _lazy_badge(is_staff=False)
    return {"show_badge": False}


@register.inclusion_tag("messaging/_tab.html", takes_context=True)
def messages_tab(context: template.Context, client: Client) -> dict[str, Any]:
    """The Messages tab of a client's staff pages, for staff who may read messages."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "show_tab": isinstance(user, User) and staff_may_read_messages(user),
        "client": client,
    }
