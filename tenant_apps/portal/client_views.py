"""Client pages of the portal: accepting an invitation (set a password), onboarding steps and
communication preferences.

The invitation link (`/invitation/<token>/`) moves its token into the session at once and
redirects to `/welcome/`, so the token never stays in the address bar, history or a Referer
header (the link's answer sends `Referrer-Policy: no-referrer`); a bad link gets the friendly 404
that logs no path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from shared_apps.accounts.models import User
from shared_apps.web.origin import request_origin
from tenant_apps.accounts.forms import NewPasswordForm
from tenant_apps.accounts.links import link_not_valid, no_referrer
from tenant_apps.clients.models import Client
from tenant_apps.forms.selectors import forms_outstanding_for_onboarding
from tenant_apps.forms.submissions.selectors import portal_forms
from tenant_apps.invitations.client_access import client_required, client_user, portal_context
from tenant_apps.invitations.selectors import (
    client_of_account,
    invitation_usable,
    portal_access_of,
)
from tenant_apps.invitations.services import invitation_accept, invitation_open
from tenant_apps.onboarding.forms import PreferencesForm
from tenant_apps.onboarding.services import (
    STEPS,
    communication_preferences_set,
    onboarding_step_save,
    onboarding_steps_remaining,
)

View = TypeVar("View", bound=Callable[..., HttpResponse])

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Session key (not a secret) under which the invitation's token waits for the password form.
INVITATION_TOKEN_SESSION_KEY = "portal:invitation_token"  # noqa: S105


# --- Invitation ---------------------------------------------------------------------------------
@require_GET
@never_cache
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    if invitation_open(raw=token) is None:
        return link_not_valid(request)
    request.session[INVITATION_TOKEN_SESSION_KEY] = token
    return no_referrer(redirect("portal:accept"))


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    """Set a password for the invited client's account, then sign them in and start
    onboarding."""
    raw = request.session.get(INVITATION_TOKEN_SESSION_KEY, "")
    invitation = invitation_usable(raw=raw) if isinstance(raw, str) else None
    if invitation is None or invitation.client.account is None:
        return link_not_valid(request)
    account = invitation.client.account
    form = NewPasswordForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(
            origin=request_origin(request), raw_token=raw, password=form.cleaned_data["password1"]
        )
        request.session.pop(INVITATION_TOKEN_SESSION_KEY, None)
        if user is None:
            return link_not_valid(request)
        login(request, user, backend=_MODEL_BACKEND)
        messages.success(request, "Welcome! Your password is set.")
        return no_referrer(redirect("portal:onboarding"))
    # The site's `same-origin` policy, not `no-referrer`: this address holds no token, and
    # under `no-referrer` browsers send `Origin: null` with the form, which CSRF refuses.
    return render(
        request, "portal/accept.html", portal_context(request, None, form=form, email=account.email)
    )


# --- Onboarding ---------------------------------------------------------------------------------
@client_required
@require_GET
def onboarding(request: HttpRequest, client: Client) -> HttpResponse:
    """Where onboarding resumes: the first requested step not done yet, then the forms requested
    in setup (Documents & forms), else home."""
    remaining = onboarding_steps_remaining(client, portal_access_of(client))
    if remaining:
        return redirect("portal:onboarding-step", step=remaining[0].name)
    if forms_outstanding_for_onboarding(client):
        return redirect("portal-forms:documents")
    return redirect("portal:home")


@client_required
@never_cache
@require_http_methods(["GET", "POST"])
def onboarding_step(request: HttpRequest, client: Client, step: str) -> HttpResponse:
    access = portal_access_of(client)
    if access is None or step not in access.requested_steps:
        raise Http404
    definition = STEPS[step]
    instance = definition.model._default_manager.filter(client=client).first()
    form = definition.form(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        completed = onboarding_step_save(
            actor=client_user(request),
            origin=request_origin(request),
            client=client,
            step=definition,
            form=form,
        )
        if completed:
            messages.success(request, "Thank you: onboarding is complete.")
        else:
            messages.success(request, f"{definition.label} saved.")
        return redirect("portal:onboarding")
    requested = access.requested_steps
    return render(
        request,
        "portal/onboarding_step.html",
        portal_context(
            request,
            client,
            form=form,
            step=definition,
            position=requested.index(step) + 1,
            total=len(requested),
        ),
    )


# --- Preferences --------------------------------------------------------------------------------
@client_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, client: Client) -> HttpResponse:
    access = portal_access_of(client)
    if access is None:
        raise Http404
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"allows_email": access.allows_email},
    )
    if request.method == "POST" and form.is_valid():
        communication_preferences_set(
            actor=client_user(request),
            origin=request_origin(request),
            access=access,
            allows_email=form.cleaned_data["allows_email"],
        )
        messages.success(request, "Your preferences are saved.")
        return redirect("portal:preferences")
    return render(request, "portal/preferences.html", portal_context(request, client, form=form))


def home_context(request: HttpRequest) -> dict[str, Any]:
    """The client-specific part of the home page: remaining onboarding steps, the forms still to
    complete (one query) and navigation (empty for visitors and staff)."""
    user = request.user
    client = client_of_account(user) if isinstance(user, User) else None
    context = portal_context(request, client)
    context["onboarding_remaining"] = (
        onboarding_steps_remaining(client, context["portal_access"]) if client else []
    )
    context["forms_to_complete"] = portal_forms(client).to_complete if client else []
    return context
