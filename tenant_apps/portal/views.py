"""The client portal's shell: home, sign-in, sign-out (invitations and onboarding come later)."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.tenancy.middleware import request_practice
from tenant_apps.portal.forms import SignInForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"practice": request_practice(request)})


class SignInView(LoginView):
    """Email + password sign-in against this practice's own accounts only."""

    template_name = "portal/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_authenticated and user.is_practice_staff:
            return reverse("staff:home")
        return reverse("portal:home")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "practice": request_practice(self.request)}


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    logout(request)
    return redirect("portal:sign-in")
