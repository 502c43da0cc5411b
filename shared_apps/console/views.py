"""Console pages (`/console/` on the platform host). Server-rendered, no PHI.

Every state change is a POST (CSRF) that calls one provisioning service with
`actor="operator:<id>"` and reports the outcome as a message; no view switches schemas. Every
view but the three sign-in steps is wrapped in `operator_required` (see access.py).
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from provisioning.offboarding import practice_offboard
from provisioning.services import (
    Owner,
    ProvisioningError,
    practice_change_subdomain,
    practice_claim,
    practice_resume,
    practice_suspend,
)
from shared_apps.accounts.totp import totp_setup_context
from shared_apps.console import throttle
from shared_apps.console.access import (
    console_operator,
    operator_actor,
    operator_required,
    operator_verified_device,
    request_operator,
    safe_next,
)
from shared_apps.console.forms import (
    OffboardForm,
    OperatorSignInForm,
    PracticeProvisionForm,
    PracticeSearchForm,
    SubdomainChangeForm,
    TotpForm,
)
from shared_apps.console.selectors import (
    PAGE_SIZE,
    access_practice,
    platform_health,
    practice_detail,
    practice_overviews,
    practice_search,
)
from shared_apps.operators.services import (
    operator_has_totp,
    operator_totp_enrolment_confirm,
    operator_totp_enrolment_start,
    operator_totp_verify,
)
from shared_apps.tenancy.models import PracticeStatus
from shared_apps.tenancy.selectors import practice_portal_url, practice_subdomain_host
from shared_apps.tenancy.subdomains import SubdomainError

GET_POST = ["GET", "POST"]


# --- Signing in: password, then TOTP -------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(GET_POST)
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: an operator's email and password (throttled per email). On success the session is
    signed in but not verified: every console page still sends it to step 2."""
    if request_operator(request) is not None:
        return redirect(_two_factor_url(safe_next(request)))
    form = OperatorSignInForm(request, data=request.POST if request.method == "POST" else None)
    blocked = ""
    if request.method == "POST":
        email = request.POST.get("username", "")
        if throttle.sign_in_blocked(email):
            # Not even checked: a blocked account learns nothing about the password it sent.
            form = OperatorSignInForm(request, initial={"username": email})
            blocked = throttle.BLOCKED_MESSAGE
        elif form.is_valid():
            throttle.sign_in_succeeded(email)
            login(request, form.get_user())
            return redirect(_two_factor_url(safe_next(request)))
        else:
            throttle.sign_in_failed(email)
    return render(
        request,
        "console/sign_in.html",
        {"form": form, "blocked": blocked, "next": safe_next(request)},
    )


def _two_factor_url(next_url: str) -> str:
    return f"{reverse('console:two-factor')}?{urlencode({'next': next_url})}"


@never_cache
@require_http_methods(GET_POST)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the operator's authenticator app. At the first sign-in, the app is
    set up here first (QR code and otpauth URI), and the first valid code confirms it."""
    operator = request_operator(request)
    if operator is None:
        return redirect("console:sign-in")
    next_url = safe_next(request)
    if operator_verified_device(request) is not None:
        return redirect(next_url)
    enrolled = operator_has_totp(operator=operator)
    form = TotpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = (
            operator_totp_verify(operator=operator, token=code)
            if enrolled
            else operator_totp_enrolment_confirm(operator=operator, token=code)
        )
        if device is not None:
            otp_login(request, device)
            # A new session key for the now fully signed-in session (session fixation).
            request.session.cycle_key()
            if not enrolled:
                messages.success(request, "Your authenticator app is set up.")
            return redirect(next_url)
        form.add_error(
            "code",
            "That code is not right. Use the newest code; if it keeps failing, check the time on "
            "your phone, and wait a few seconds between tries.",
        )
    context: dict[str, object] = {"form": form, "enrolled": enrolled, "next": next_url}
    if not enrolled:
        device = operator_totp_enrolment_start(operator=operator)
        issuer = f"Portico {settings.PORTICO_DOMAIN}"
        context.update(totp_setup_context(device, issuer=issuer, account=operator.email))
    return render(request, "console/two_factor.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("console:sign-in")


# --- Practices -----------------------------------------------------------------------------------


@operator_required
def practice_list(request: HttpRequest) -> HttpResponse:
    form = PracticeSearchForm(request.GET)
    query, status = "", ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    page = Paginator(practice_search(query=query, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "console/practice_list.html",
        {"form": form, "page": page, "overviews": practice_overviews(list(page.object_list))},
    )


@operator_required
def practice_detail_page(request: HttpRequest, practice_uuid: uuid.UUID) -> HttpResponse:
    practice = access_practice(practice_uuid)
    return render(request, "console/practice_detail.html", {"detail": practice_detail(practice)})


@sensitive_post_parameters()
@operator_required
@require_http_methods(GET_POST)
def practice_provision(request: HttpRequest) -> HttpResponse:
    """Provision a practice by hand: the same `practice_claim` as sign-up. The owner's password
    is random and shown once, on the response to the POST (never stored in a message)."""
    operator = console_operator(request)
    form = PracticeProvisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password = secrets.token_urlsafe(12)
        owner = Owner(email=form.cleaned_data["owner_email"], password_hash=make_password(password))
        try:
            practice = practice_claim(
                name=form.cleaned_data["name"],
                subdomain=form.cleaned_data["subdomain"],
                owner=owner,
                time_zone=form.cleaned_data["time_zone"],
                actor=operator_actor(operator),
            )
        except SubdomainError as error:
            form.add_error("subdomain", str(error))
        except ProvisioningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{practice.name} is ready.")
            return render(
                request,
                "console/practice_provisioned.html",
                {
                    "practice": practice,
                    "portal_url": practice_portal_url(practice),
                    "owner_email": owner.email,
                    "owner_password": password,
                },
            )
    return render(request, "console/practice_provision.html", {"form": form})


def _detail_redirect(practice_uuid: uuid.UUID) -> HttpResponseRedirect:
    return redirect("console:practice-detail", practice_uuid=practice_uuid)


@operator_required
@require_http_methods(GET_POST)
def practice_suspend_page(request: HttpRequest, practice_uuid: uuid.UUID) -> HttpResponse:
    """GET: confirm. POST: the portal answers with a neutral "unavailable" page; nothing is
    deleted."""
    practice = access_practice(practice_uuid)
    if request.method == "GET":
        return render(request, "console/practice_suspend.html", {"practice": practice})
    try:
        practice_suspend(practice=practice, actor=operator_actor(console_operator(request)))
    except ProvisioningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{practice.name} is suspended: its portal shows “unavailable”.")
    return _detail_redirect(practice.uuid)


@operator_required
@require_http_methods(GET_POST)
def practice_resume_page(request: HttpRequest, practice_uuid: uuid.UUID) -> HttpResponse:
    practice = access_practice(practice_uuid)
    if request.method == "GET":
        return render(request, "console/practice_resume.html", {"practice": practice})
    try:
        practice_resume(practice=practice, actor=operator_actor(console_operator(request)))
    except ProvisioningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{practice.name} is active again: its portal is back.")
    return _detail_redirect(practice.uuid)


@operator_required
@require_http_methods(GET_POST)
def practice_subdomain_page(request: HttpRequest, practice_uuid: uuid.UUID) -> HttpResponse:
    """Move the portal to a new subdomain; the old address redirects there for 90 days."""
    practice = access_practice(practice_uuid)
    form = SubdomainChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            practice_change_subdomain(
                practice=practice,
                subdomain=form.cleaned_data["subdomain"],
                actor=operator_actor(console_operator(request)),
            )
        except SubdomainError as error:
            form.add_error("subdomain", str(error))
        except ProvisioningError as error:
            form.add_error(None, str(error))
        else:
            new_host = practice_subdomain_host(form.cleaned_data["subdomain"].strip().lower())
            messages.success(
                request,
                f"The portal is now at {new_host}; the old address redirects there for 90 days.",
            )
            return _detail_redirect(practice.uuid)
    return render(request, "console/practice_subdomain.html", {"practice": practice, "form": form})


@operator_required
@require_http_methods(GET_POST)
def practice_offboard_page(request: HttpRequest, practice_uuid: uuid.UUID) -> HttpResponse:
    """Export everything, email the owners the download link, then drop the schema and delete
    the files. Irreversible: the subdomain must be typed again."""
    practice = access_practice(practice_uuid)
    form = OffboardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = practice.name
        try:
            practice_offboard(
                practice=practice,
                confirm_subdomain=form.cleaned_data["confirm_subdomain"],
                actor=operator_actor(console_operator(request)),
            )
        except ProvisioningError as error:
            form.add_error("confirm_subdomain", str(error))
        else:
            messages.success(
                request,
                f"{name} is offboarded. Its owners were emailed a link to the export; the schema "
                "and files are deleted.",
            )
            return redirect("console:practices")
    return render(
        request,
        "console/practice_offboard.html",
        {"practice": practice, "form": form, "is_offboardable": _is_offboardable(practice.status)},
    )


def _is_offboardable(status: str) -> bool:
    return status in {PracticeStatus.ACTIVE, PracticeStatus.SUSPENDED, PracticeStatus.OFFBOARDING}


# --- Health --------------------------------------------------------------------------------------


@operator_required
def health(request: HttpRequest) -> HttpResponse:
    return render(request, "console/health.html", {"health": platform_health()})
