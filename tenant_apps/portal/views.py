"""The client portal's shell: home, sign-in, sign-out (invitations and onboarding come later)."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.accounts.services import signout_record
from tenant_apps.accounts.signin import SignInThrottleMixin
from tenant_apps.portal.client_views import home_context
from tenant_apps.portal.forms import SignInForm
from tenant_apps.practice_settings.selectors import portal_settings_cached


def home(request: HttpRequest) -> HttpResponse:
    context = {**home_context(request), "portal_settings": portal_settings_cached()}
    return render(request, "portal/home.html", context)


class SignInView(SignInThrottleMixin, LoginView):
    """Email + password sign-in against this practice's own accounts only, throttled per account
    and IP (tenant_apps/accounts/signin.py)."""

    template_name = "portal/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_authenticated and user.is_practice_staff:
            return reverse("staff:home")
        return reverse("portal:home")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "practice": current_practice()}


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    if isinstance(request.user, User):
        signout_record(actor=request.user, origin=request_origin(request))
    logout(request)
    return redirect("portal:sign-in")
