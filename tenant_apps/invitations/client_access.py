"""What every client page of the portal uses, whichever app serves it: `client_required` (a
signed-in client of this practice with a client record), `client_user`, and `portal_context` (the
practice and the navigation of the client's features). It sits with the portal access it reads
(`PortalAccess`), below the features' pages (README.md, "Layers")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from tenant_apps.clients.models import Client
from tenant_apps.invitations.selectors import client_of_account, portal_access_of

View = TypeVar("View", bound=Callable[..., HttpResponse])


def client_user(request: HttpRequest) -> User:
    """The signed-in client's account (call only behind `client_required`)."""
    user = request.user
    if not isinstance(user, User) or not user.is_client:
        raise PermissionDenied
    return user


def client_required(view: View) -> View:
    """Page decorator: a signed-in client of this practice with a client record. Anonymous
    visitors go to sign-in; staff and accounts without a record get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        client = client_of_account(user) if isinstance(user, User) else None
        if client is None:
            raise PermissionDenied
        return view(request, client, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def portal_context(request: HttpRequest, client: Client | None, **extra: Any) -> dict[str, Any]:
    """What every client page shows: the practice and the navigation of this client's
    features."""
    access = portal_access_of(client) if client else None
    return {
        "practice": current_practice(),
        "portal_access": access,
        "portal_features": access.enabled_features if access else [],
        **extra,
    }
