"""Staff pages that set a client's portal up and follow their onboarding
(`/staff/clients/<id>/…`): the setup wizard (details, then features, information to collect and
forms to send, then the invitation) and the Portal tab (access, invitations, onboarding steps; its
invite, resend and revoke buttons post to tenant_apps/invitations/views.py).

They sit in onboarding because they combine the layers below it: portal access and invitations,
forms, onboarding steps (README.md, "Layers"). Same rules as the clients pages: `staff_required`,
each client loaded with `access_client` (404 for missing and not-yours alike).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import PortalStatus
from tenant_apps.clients.selectors import access_client
from tenant_apps.invitations.errors import InvitationError
from tenant_apps.invitations.models import FEATURES
from tenant_apps.invitations.selectors import (
    invitation_history,
    portal_access_defaults,
    portal_access_of,
)
from tenant_apps.invitations.services import ACCESS_FIELDS
from tenant_apps.onboarding.forms import PortalAccessForm
from tenant_apps.onboarding.services import STEPS, onboarding_steps_done, portal_setup_complete


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"onboarding/{template}", {"practice": current_practice(), **context})


def _viewed(request: HttpRequest, client_id: int) -> None:
    audit_record(
        action=AuditAction.CLIENT_VIEWED,
        actor=staff_user(request),
        origin=request_origin(request),
        object_type="client",
        object_id=client_id,
    )


@staff_required()
@require_GET
def setup_details_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """Wizard page 1: confirm the client's details before granting access."""
    client = access_client(viewer=staff_user(request), client_id=client_id)
    _viewed(request, client.pk)
    return _render(request, "setup_details.html", {"client": client})


@staff_required()
@require_http_methods(["GET", "POST"])
def setup_access_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """Wizard page 2: features, information to collect, forms; then send the invitation."""
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    access = portal_access_of(client)
    initial = (
        {name: getattr(access, name) for name in ACCESS_FIELDS}
        if access is not None
        else portal_access_defaults()
    )
    # Every box unticked is an empty POST: still a submission.
    form = PortalAccessForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if client.portal_status in (PortalStatus.INVITED, PortalStatus.ACTIVE):
                raise InvitationError(
                    "This client already has portal access or a pending invitation: see the "
                    "Portal tab."
                )
            portal_setup_complete(
                actor=viewer,
                origin=request_origin(request),
                client=client,
                choices=form.cleaned_data,
                form_ids=[f.pk for f in form.cleaned_data["forms_to_send"]],
            )
        except InvitationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Invitation sent.")
            return redirect("onboarding:portal", client_id=client.pk)
    else:
        _viewed(request, client.pk)
    return _render(request, "setup_access.html", {"client": client, "form": form})


@staff_required()
@require_GET
def portal_tab_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(viewer=staff_user(request), client_id=client_id)
    access = portal_access_of(client)
    done = onboarding_steps_done(client) if access is not None else set()
    steps = [
        (STEPS[name].label, name in done)
        for name in (access.requested_steps if access is not None else [])
    ]
    _viewed(request, client.pk)
    return _render(
        request,
        "portal_tab.html",
        {
            "client": client,
            "access": access,
            "features": [
                label for name, label in FEATURES.items() if access and getattr(access, name)
            ],
            "steps": steps,
            "invitations": invitation_history(client),
        },
    )
