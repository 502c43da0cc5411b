"""Staff actions on a client's invitation (`/staff/clients/<id>/portal/…`): invite (or grant
access again), resend, revoke, and the bulk invite after an import. The setup wizard and the Portal
tab that offer them are onboarding's pages (tenant_apps/onboarding/views.py).

Same rules as the clients pages: `staff_required`, each client loaded with `access_client` (404 for
missing and not-yours alike); the bulk invite is for owners and admins, like the import.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import StaffRole
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.clients.selectors import access_client, client_list
from tenant_apps.invitations.errors import InvitationError
from tenant_apps.invitations.services import (
    invitation_resend,
    invitation_send,
    invitations_bulk_send,
    portal_access_revoke,
)

_MANAGERS = (StaffRole.OWNER, StaffRole.ADMIN)


def _portal_action(request: HttpRequest, client_id: int, action: str) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    origin = request_origin(request)
    try:
        if action == "invite":
            invitation_send(actor=viewer, origin=origin, client=client)
            done = "Invitation sent."
        elif action == "resend":
            invitation_resend(actor=viewer, origin=origin, client=client)
            done = "A new invitation is sent; the previous link no longer works."
        else:
            portal_access_revoke(actor=viewer, origin=origin, client=client)
            done = "Portal access revoked: the client is signed out everywhere."
    except InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("onboarding:portal", client_id=client.pk)


@staff_required()
@require_POST
def invite_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """Invite (or grant access again) with the client's saved choices, or the defaults."""
    return _portal_action(request, client_id, "invite")


@staff_required()
@require_POST
def resend_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return _portal_action(request, client_id, "resend")


@staff_required()
@require_POST
def revoke_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return _portal_action(request, client_id, "revoke")


@staff_required(*_MANAGERS)
@require_POST
def bulk_invite_page(request: HttpRequest) -> HttpResponse:
    """Invite the clients ticked on the import-done page (any the viewer may see), with the
    practice's default features and information to collect."""
    ids = [int(value) for value in request.POST.getlist("client") if value.isdigit()]
    viewer = staff_user(request)
    clients = list(client_list(viewer=viewer).filter(pk__in=ids)) if ids else []
    if not clients:
        messages.error(request, "Tick at least one client to invite.")
        return redirect("clients:import-done")
    sent, skipped = invitations_bulk_send(
        actor=viewer, origin=request_origin(request), clients=clients
    )
    summary = f"{sent} invitation{'s' if sent != 1 else ''} sent."
    if skipped:
        summary += (
            f" {skipped} client{'s' if skipped != 1 else ''} could not be invited (no email, or"
            " already invited)."
        )
    messages.success(request, summary)
    return redirect("clients:list")
