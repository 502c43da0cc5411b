"""Sign-up on the platform host: the form, the live subdomain check, and the hand-over to the
new portal (where the owner lands signed in)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from provisioning.services import (
    Owner,
    ProvisioningError,
    practice_claim,
    practice_owner_sign_in_path,
)
from shared_apps.signup.forms import SignUpForm
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import practice_primary_host
from shared_apps.tenancy.subdomains import SubdomainError, subdomain_validate

# The form's answer redirects to the new practice's host; CSP's form-action also governs that
# redirect, so it must allow the practice subdomains (and only them).
_PRACTICE_HOSTS = f"{settings.PORTICO_SCHEME}://*.{settings.PORTICO_DOMAIN}:*"


@require_http_methods(["GET", "POST"])
@csp_update({"form-action": [_PRACTICE_HOSTS]})
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = Owner(
            email=data["email"],
            password_hash=make_password(data["password"]),
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        try:
            practice = practice_claim(
                name=data["practice_name"], subdomain=data["subdomain"], owner=owner
            )
            path = practice_owner_sign_in_path(practice=practice)
            return HttpResponseRedirect(_same_origin_style_url(request, practice, path))
        except SubdomainError as error:
            form.add_error("subdomain", str(error))
        except ProvisioningError as error:
            form.add_error(None, str(error))
    return render(
        request, "signup/sign_up.html", {"form": form, "platform_domain": settings.PORTICO_DOMAIN}
    )


@require_GET
def subdomain_check(request: HttpRequest) -> HttpResponse:
    """The live availability message under the subdomain field (an htmx fragment)."""
    raw = request.GET.get("subdomain", "")
    context: dict[str, object] = {"subdomain": raw.strip().lower()}
    if raw.strip():
        try:
            context["available"] = subdomain_validate(raw)
        except SubdomainError as error:
            context["problem"] = str(error)
    return render(request, "signup/_subdomain_status.html", context)


def _same_origin_style_url(request: HttpRequest, practice: Practice, path: str) -> str:
    """`path` on the practice's host, with this request's scheme and port (a dev server's)."""
    _host, port = split_domain_port(request.get_host())
    suffix = f":{port}" if port else ""
    return f"{request.scheme}://{practice_primary_host(practice)}{suffix}{path}"
