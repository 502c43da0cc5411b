"""Who may open a console page: a signed-in, active operator who passed 2FA in this session.

Every console view except the sign-in steps is wrapped in `operator_required`; a test walks the
console's URLs and fails for any page that answers without it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from shared_apps.accounts.models import User

ConsoleView = Callable[..., HttpResponse]
CONSOLE_PREFIX = "/console/"


def request_operator(request: HttpRequest) -> User | None:
    """The signed-in account if it is an active operator (whether or not 2FA passed), else None."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.is_operator and user.is_active:
        return user
    return None


def operator_verified_device(request: HttpRequest) -> Device | None:
    """The confirmed device the signed-in operator passed 2FA with in this session, or None."""
    operator = request_operator(request)
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if operator is None or not isinstance(persistent_id, str):
        return None
    device: Device | None = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != operator.pk or not device.confirmed:
        return None
    return device


def operator_required(view: ConsoleView) -> ConsoleView:
    """Anonymous → sign-in; signed in but not through 2FA → the 2FA step; any account that is not
    an active operator → 403. Only then the view runs."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:sign-in"))
        if request_operator(request) is None:
            raise PermissionDenied
        if operator_verified_device(request) is None:
            return redirect_to_login(request.get_full_path(), reverse("console:two-factor"))
        request.console_verified = True  # type: ignore[attr-defined]  # shows the console's menu
        return view(request, *args, **kwargs)

    guarded.console_guarded = True  # type: ignore[attr-defined]
    return guarded


def console_operator(request: HttpRequest) -> User:
    """The operator of a request that passed `operator_required`."""
    operator = request_operator(request)
    if operator is None:  # pragma: no cover - operator_required ran first
        raise PermissionDenied
    return operator


def operator_actor(operator: User) -> str:
    """How the platform audit log (PracticeEvent.actor) names an operator."""
    return f"operator:{operator.pk}"


def safe_next(request: HttpRequest) -> str:
    """The `next` console page to return to after signing in, or the console's start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(CONSOLE_PREFIX) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("console:practices")
