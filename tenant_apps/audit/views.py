"""The owner's view of the audit log, with filters. Reading it is itself recorded."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shared_apps.accounts.models import StaffRole
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.forms import AuditFilterForm
from tenant_apps.audit.selectors import audit_action_names, audit_entries
from tenant_apps.audit.services import audit_record

PAGE_SIZE = 50


@require_GET
@staff_required(StaffRole.OWNER)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=audit_action_names())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        action=filters.get("action") or "",
        actor_id=filters.get("actor"),
        since=filters.get("since"),
        until=filters.get("until"),
        object_type=filters.get("object_type") or "",
        object_id=filters.get("object_id") or "",
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this reading is itself recorded
    audit_record(
        action=AuditAction.AUDIT_VIEWED,
        actor=staff_user(request),
        origin=request_origin(request),
        detail={"page": page.number},
    )
    return render(
        request,
        "audit/audit_log.html",
        {"practice": current_practice(), "form": form, "page": page},
    )
