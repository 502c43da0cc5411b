"""Who is looking at a page, as flags for the shared layouts (the base page, the client's tabs, a
message's attachment link), so no template compares kinds or roles itself."""

from __future__ import annotations

from django.http import HttpRequest

from shared_apps.accounts.models import User


def viewer(request: HttpRequest) -> dict[str, bool]:
    """`viewer_is_staff` for the practice's staff, `viewer_is_client` for its clients."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"viewer_is_staff": False, "viewer_is_client": False}
    return {"viewer_is_staff": user.is_practice_staff, "viewer_is_client": user.is_client}
