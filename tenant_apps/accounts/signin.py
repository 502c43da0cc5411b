"""Throttling and audit for the practice's sign-in page (tenant_apps/portal's `SignInView`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from shared_apps.web.origin import client_ip, request_actor, request_origin
from tenant_apps.accounts import services
from tenant_apps.accounts.throttle import (
    SignInScope,
    signin_account_is_locked,
    signin_failure_count,
    signin_scope,
    signin_success_count,
)
from tenant_apps.accounts.two_factor import TOTP_PENDING_SESSION_KEY, staff_sign_in_needs_totp


def locked_message() -> str:
    minutes = max(1, settings.PORTICO_SIGNIN_LOCK_SECONDS // 60)
    return f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password."


class SignInThrottleMixin:
    """For a `LoginView`: refuse with HTTP 429 every attempt on a locked account (the correct
    password too) and every wrong password from a locked IP (a correct one for an account that
    is not locked still signs in), count failures, and audit `signin.failed`, `signin.locked`
    and `signin.succeeded`. See throttle.py for the two budgets."""

    request: HttpRequest
    _signin_scope: SignInScope

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "")
        self._signin_scope = signin_scope(email=email, ip=client_ip(request))
        if signin_account_is_locked(self._signin_scope):
            services.signin_refused_while_locked_record(
                actor=request_actor(request), origin=request_origin(request), email=email
            )
            return self._locked_response()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        signin_success_count(self._signin_scope)
        services.signin_success_record(actor=user, origin=request_origin(self.request))
        if staff_sign_in_needs_totp(user):
            self.request.session[TOTP_PENDING_SESSION_KEY] = True
            return redirect("accounts:two-factor")
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        email = self.request.POST.get("username", "")
        # A wrong password from a locked IP was still checked (and is still charged to the
        # account): it is audited as a plain failure, not as refused while locked.
        failure = signin_failure_count(self._signin_scope)
        locked_now = failure.locked_now
        services.signin_failure_record(
            actor=request_actor(self.request),
            origin=request_origin(self.request),
            email=email,
            locked_now=locked_now,
        )
        if failure.is_refused:
            return self._locked_response()
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        return response

    def _locked_response(self) -> HttpResponse:
        messages.error(self.request, locked_message())
        view: Any = self
        form = view.get_form_class()(request=self.request)
        response: HttpResponse = view.render_to_response(
            view.get_context_data(form=form), status=429
        )
        return response
