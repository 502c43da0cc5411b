"""Staff page: a client's delivery log (`/staff/clients/<id>/deliveries/`).

Who may see it: whoever may see the client (`access_client`) — the owner, admins and the client's
own clinician. Admins are included on purpose: the log holds no clinical content (kind, state,
attempts and times; never a subject, body or address), and the front desk is who fixes a bounced
address. Viewing it is audited (`client.deliveries_viewed`, the client's id only).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.selectors import access_client
from tenant_apps.notifications.selectors import DELIVERY_LOG_LIMIT, client_deliveries


@staff_required()
@require_GET
def client_deliveries_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    audit_record(
        action=AuditAction.CLIENT_DELIVERIES_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        object_id=client.pk,
    )
    return render(
        request,
        "notifications/client_deliveries.html",
        {
            "practice": current_practice(),
            "client": client,
            "deliveries": client_deliveries(client=client),
            "limit": DELIVERY_LOG_LIMIT,
        },
    )
