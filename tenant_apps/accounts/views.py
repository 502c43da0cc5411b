"""Account pages on a practice's host: forgot / reset password (clients and staff), the staff
profile, and the owner's team page with invitations.

Links carrying a token (`/reset-password/<token>/`, `/staff/join/<token>/`) move the token into
the session at once and redirect to an address without it, so the token never stays in the
address bar, history or a Referer header; both pages send `Referrer-Policy: no-referrer`.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.models import StaffRole, TokenPurpose
from shared_apps.accounts.totp import totp_setup_context
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_actor, request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.accounts import services, two_factor
from tenant_apps.accounts.api_tokens import api_token_issue, api_token_revoke
from tenant_apps.accounts.errors import StaffDeactivateError, StaffInviteError
from tenant_apps.accounts.forms import (
    ApiTokenForm,
    ForgotPasswordForm,
    JoinForm,
    NewPasswordForm,
    PasswordChangeForm,
    ProfileForm,
    StaffInviteForm,
    StaffTwoFactorPolicyForm,
    TotpCodeForm,
)
from tenant_apps.accounts.links import link_not_valid, no_referrer
from tenant_apps.accounts.selectors import (
    access_staff_member,
    staff_api_tokens,
    staff_is_deactivatable,
    staff_list,
    usable_token,
)

logger = logging.getLogger(__name__)

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Session keys (not secrets) under which a link's token waits for the form to be sent.
RESET_TOKEN_SESSION_KEY = "practice_accounts:reset_token"  # noqa: S105
JOIN_TOKEN_SESSION_KEY = "practice_accounts:join_token"  # noqa: S105


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {"practice": current_practice(), **extra}


def _token_to_session(
    request: HttpRequest, *, token: str, purpose: TokenPurpose, session_key: str, to: str
) -> HttpResponse:
    if usable_token(raw=token, purpose=purpose) is None:
        return link_not_valid(request)
    request.session[session_key] = token
    return no_referrer(redirect(to))


# --- Forgot / reset password --------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    """The same page, status and timing whether or not the address has an account here."""
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(
            actor=request_actor(request),
            origin=request_origin(request),
            email=form.cleaned_data["email"],
        )
        return render(request, "practice_accounts/forgot_password_sent.html", _context(request))
    return render(request, "practice_accounts/forgot_password.html", _context(request, form=form))


@require_GET
@never_cache
def reset_password_link(request: HttpRequest, token: str) -> HttpResponse:
    return _token_to_session(
        request,
        token=token,
        purpose=TokenPurpose.PASSWORD_RESET,
        session_key=RESET_TOKEN_SESSION_KEY,
        to="accounts-portal:reset-password",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest) -> HttpResponse:
    raw = request.session.get(RESET_TOKEN_SESSION_KEY, "")
    token = usable_token(raw=raw, purpose=TokenPurpose.PASSWORD_RESET) if raw else None
    if token is None:
        return link_not_valid(request)
    form = NewPasswordForm(request.POST or None, user=token.user)
    if request.method == "POST" and form.is_valid():
        user = services.password_reset_complete(
            origin=request_origin(request), raw_token=raw, password=form.cleaned_data["password1"]
        )
        request.session.pop(RESET_TOKEN_SESSION_KEY, None)
        if user is None:
            return link_not_valid(request)
        messages.success(request, "Your password is changed. Please sign in with it.")
        return no_referrer(redirect("portal:sign-in"))
    # Not no-referrer: with it, browsers post this form with `Origin: null` and Django's CSRF
    # check refuses it. The address no longer holds the token, so same-origin is safe.
    return render(request, "practice_accounts/reset_password.html", _context(request, form=form))


# --- Staff profile ------------------------------------------------------------------------------
@staff_required()
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Name and email, password change, and signing out of other sessions: one form per action,
    told apart by the `action` field."""
    user = staff_user(request)
    action = request.POST.get("action") if request.method == "POST" else None
    profile_form = ProfileForm(request.POST if action == "profile" else None, user=user)
    password_form = PasswordChangeForm(request.POST if action == "password" else None, user=user)
    if action == "profile" and profile_form.is_valid():
        services.profile_update(
            actor=user, origin=request_origin(request), **profile_form.cleaned_data
        )
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    if action == "password" and password_form.is_valid():
        services.password_change(
            actor=user,
            origin=request_origin(request),
            password=password_form.cleaned_data["password1"],
            keep_session_key=request.session.session_key,
        )
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed; your other sessions are signed out.")
        return redirect("accounts:profile")
    if action == "sessions":
        ended = services.other_sessions_end(
            actor=user,
            origin=request_origin(request),
            keep_session_key=request.session.session_key,
        )
        messages.success(request, f"Signed out of {ended} other session(s).")
        return redirect("accounts:profile")
    return render(
        request,
        "practice_accounts/profile.html",
        _context(request, profile_form=profile_form, password_form=password_form),
    )


# --- Team (owner only) --------------------------------------------------------------------------
@staff_required(StaffRole.OWNER)
@never_cache
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest) -> HttpResponse:
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_invite(
                actor=staff_user(request),
                origin=request_origin(request),
                email=form.cleaned_data["email"],
                role=StaffRole(form.cleaned_data["role"]),
            )
        except StaffInviteError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, "Invitation sent.")
            return redirect("accounts:team")
    members = list(staff_list())
    return render(
        request,
        "practice_accounts/team.html",
        _context(
            request,
            form=form,
            members=members,
            deactivatable_ids={member.pk for member in members if staff_is_deactivatable(member)},
            policy_form=StaffTwoFactorPolicyForm(
                initial={
                    "requires_staff_totp": two_factor.staff_security_policy().requires_staff_totp
                }
            ),
        ),
    )


@staff_required(StaffRole.OWNER)
@require_POST
def team_deactivate(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_staff_member(member_id=member_id)
    try:
        services.staff_deactivate(
            actor=staff_user(request), origin=request_origin(request), member=member
        )
    except StaffDeactivateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.display_name} can no longer sign in.")
    return redirect("accounts:team")


# --- Joining as invited staff -------------------------------------------------------------------
@require_GET
@never_cache
def join_link(request: HttpRequest, token: str) -> HttpResponse:
    return _token_to_session(
        request,
        token=token,
        purpose=TokenPurpose.STAFF_INVITATION,
        session_key=JOIN_TOKEN_SESSION_KEY,
        to="accounts:join",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    raw = request.session.get(JOIN_TOKEN_SESSION_KEY, "")
    token = usable_token(raw=raw, purpose=TokenPurpose.STAFF_INVITATION) if raw else None
    if token is None:
        return link_not_valid(request)
    form = JoinForm(request.POST or None, user=token.user)
    if request.method == "POST" and form.is_valid():
        member = services.staff_join(
            origin=request_origin(request),
            raw_token=raw,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        request.session.pop(JOIN_TOKEN_SESSION_KEY, None)
        if member is None:
            return link_not_valid(request)
        login(request, member, backend=_MODEL_BACKEND)
        messages.success(request, "Welcome! Your account is ready.")
        if two_factor.staff_sign_in_needs_totp(member):
            request.session[two_factor.TOTP_PENDING_SESSION_KEY] = True
            return no_referrer(redirect("accounts:two-factor"))
        return no_referrer(redirect("staff:home"))
    # Same-origin, not no-referrer: see reset_password.
    return render(
        request, "practice_accounts/join.html", _context(request, form=form, email=token.user.email)
    )


# --- Staff two-factor (when the owner requires it) ----------------------------------------------
@staff_required(StaffRole.OWNER)
@require_POST
def team_two_factor(request: HttpRequest) -> HttpResponse:
    form = StaffTwoFactorPolicyForm(request.POST)
    if form.is_valid():
        required = form.cleaned_data["requires_staff_totp"]
        turned_on = two_factor.staff_totp_required_set(
            actor=staff_user(request),
            origin=request_origin(request),
            required=required,
            keep_session_key=request.session.session_key,
        )
        if turned_on:  # this session goes through the two-factor step too
            request.session[two_factor.TOTP_PENDING_SESSION_KEY] = True
        messages.success(
            request,
            "Staff now sign in with an authenticator app code; everyone else was signed out."
            if required
            else "Staff sign in with their password only.",
        )
    if request.session.get(two_factor.TOTP_PENDING_SESSION_KEY):
        return redirect("accounts:two-factor")
    return redirect("accounts:team")


@staff_required()
@never_cache
@require_http_methods(["GET", "POST"])
def staff_two_factor(request: HttpRequest) -> HttpResponse:
    """The two-factor step of a staff sign-in: set up an authenticator app the first time (QR code,
    key and otpauth URI), then enter its code."""
    if not request.session.get(two_factor.TOTP_PENDING_SESSION_KEY):
        return redirect("staff:home")
    if not two_factor.staff_security_policy().requires_staff_totp:  # turned off meanwhile
        request.session.pop(two_factor.TOTP_PENDING_SESSION_KEY)
        return redirect("staff:home")
    user = staff_user(request)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.staff_totp_complete(
            actor=user, origin=request_origin(request), code=form.cleaned_data["code"]
        ):
            request.session.pop(two_factor.TOTP_PENDING_SESSION_KEY, None)
            request.session.cycle_key()
            return redirect("staff:home")
        form.add_error(
            "code", "That code is not valid. Check the time on your phone and try again."
        )
    enrolled = two_factor.staff_has_totp(user)
    context = _context(request, form=form, enrolled=enrolled)
    if not enrolled:
        device = two_factor.staff_totp_enrolment_start(user=user)
        issuer = f"{current_practice().name} (Portico)"
        context.update(totp_setup_context(device, issuer=issuer, account=user.email))
    return render(request, "practice_accounts/two_factor.html", context)


# --- API tokens ---------------------------------------------------------------------------------
@staff_required()
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in staff member's own tokens for the practice API. A new token is shown once."""
    user = staff_user(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = api_token_issue(
            actor=user, origin=request_origin(request), name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = staff_api_tokens(user=user)
    return render(
        request,
        "practice_accounts/api_tokens.html",
        _context(request, form=form, tokens=tokens, new_token=new_token),
    )


@staff_required()
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_token_revoke(
        actor=staff_user(request), origin=request_origin(request), token_id=token_id
    ):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        raise Http404("No such active token.")
    return redirect("accounts:api-tokens")
