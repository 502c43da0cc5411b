"""Settings > Portal (owners only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.models import StaffRole
from shared_apps.tenancy.context import current_practice
from shared_apps.tenancy.errors import PracticeProfileError
from shared_apps.tenancy.selectors import practice_portal_url
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.practice_settings.forms import PortalSettingsForm, time_zones
from tenant_apps.practice_settings.selectors import portal_settings
from tenant_apps.practice_settings.services import portal_settings_update


@staff_required(StaffRole.OWNER)
@require_http_methods(["GET", "POST"])
def portal(request: HttpRequest) -> HttpResponse:
    """Show and save the portal settings. A bad value re-renders the form with what was typed."""
    practice = current_practice()
    initial = {"name": practice.name, "time_zone": practice.time_zone}
    if request.method == "POST":
        form = PortalSettingsForm(request.POST, instance=portal_settings(), initial=initial)
        if form.is_valid():
            try:
                portal_settings_update(
                    actor=staff_user(request), origin=request_origin(request), **form.cleaned_data
                )
            except PracticeProfileError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Portal settings saved.")
                return redirect("practice_settings:portal")
    else:
        form = PortalSettingsForm(instance=portal_settings(), initial=initial)
    context = {
        "practice": practice,
        "form": form,
        "portal_url": practice_portal_url(practice),
        "time_zones": time_zones(),
    }
    return render(request, "practice_settings/portal.html", context)
