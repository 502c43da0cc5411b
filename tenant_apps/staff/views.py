"""Staff pages. The home page, the sign-in handed over from sign-up, and email confirmation;
clients, invitations and settings come with their issues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shared_apps.accounts.models import StaffRole, TokenPurpose
from shared_apps.accounts.services import email_confirm
from shared_apps.accounts.tokens import account_token_redeem
from shared_apps.tenancy.context import current_practice
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.accounts.links import link_not_valid, no_referrer
from tenant_apps.staff_notifications.selectors import staff_notifications_unread

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    viewer = staff_user(request)
    unread_count, notifications = staff_notifications_unread(user=viewer)
    return render(
        request,
        "staff/home.html",
        {
            "practice": current_practice(),
            "unread_count": unread_count,
            "notifications": notifications,
            "manages_practice": viewer.role == StaffRole.OWNER,
        },
    )


@require_GET
@never_cache
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Sign the new owner in with the one-time link from sign-up, then drop the token from the
    address bar at once."""
    user = account_token_redeem(raw=token, purpose=TokenPurpose.SIGN_IN_HANDOFF)
    if user is None or not user.is_practice_staff:
        return link_not_valid(request)
    login(request, user, backend=_MODEL_BACKEND)
    messages.success(request, "Your portal is ready. Welcome!")
    return no_referrer(redirect("staff:home"))


@require_GET
@never_cache
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    user = email_confirm(raw_token=token)
    if user is None:
        return link_not_valid(request)
    messages.success(request, "Thank you: your email address is confirmed.")
    return no_referrer(redirect("staff:home"))
