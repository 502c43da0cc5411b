"""`{% staff_bell %}`: the notification bell in the header of every staff page."""

from __future__ import annotations

from typing import Any

from django import template

from shared_apps.accounts.models import User
from tenant_apps.accounts.two_factor import TOTP_PENDING_SESSION_KEY
from tenant_apps.staff_notifications.selectors import bell_context

register = template.Library()


@register.inclusion_tag("staff_notifications/_bell.html", takes_context=True)
def staff_bell(context: template.Context) -> dict[str, Any]:
    """The bell for signed-in staff (one count query); nothing for anyone else, nor for a staff
    session still pending its two-factor step."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        request is None
        or not isinstance(user, User)
        or not user.is_practice_staff
        or request.session.get(TOTP_PENDING_SESSION_KEY)
    ):
        return {"show_bell": False}
    return bell_context(user)
