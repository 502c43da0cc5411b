"""The notification centre (`/staff/notifications/`): the list, the bell's count, opening a
notification and marking notifications read.

Every view is behind `staff_required` and works on the signed-in staff member's own notifications
only (`access_staff_notification` answers 404 for someone else's). The bell is polled by htmx and
is an `htmx_fragment(passive=True)`: it never keeps an idle session alive.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.accounts.idle import htmx_fragment
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.selectors import (
    access_staff_notification,
    bell_context,
    staff_digest_wanted,
    staff_notification_items,
    staff_notification_list,
    staff_notification_target,
    staff_notifications_unread_count,
)
from tenant_apps.staff_notifications.services import (
    staff_digest_preference_set,
    staff_notification_mark_read,
    staff_notifications_mark_all_read,
)

PAGE_SIZE = 25


@staff_required()
@require_GET
def notification_list_page(request: HttpRequest) -> HttpResponse:
    """Newest first, unread ones marked; clients' names appear, so the page view is audited."""
    viewer = staff_user(request)
    wanted_kind = request.GET.get("kind", "")
    kind = (
        StaffNotificationKind(wanted_kind) if wanted_kind in StaffNotificationKind.values else None
    )
    page = Paginator(staff_notification_list(user=viewer, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = staff_notification_items(viewer=viewer, notifications=list(page.object_list))
    audit_record(
        action=AuditAction.STAFF_NOTIFICATIONS_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="staff_notification",
        detail={"page": page.number, "shown": len(items)},
    )
    return render(
        request,
        "staff_notifications/list.html",
        {
            "practice": current_practice(),
            "page": page,
            "items": items,
            "unread_count": staff_notifications_unread_count(user=viewer),
            "kind": kind,
            "digest_wanted": staff_digest_wanted(user=viewer),
        },
    )


@htmx_fragment(passive=True)
@staff_required()
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell with its count: an htmx fragment, polled."""
    return render(request, "staff_notifications/_bell.html", bell_context(staff_user(request)))


@staff_required()
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notification is reading it: mark it read, then go to its link (a staff page of
    this portal), or back to the list when it has none or the link is not one."""
    notification = access_staff_notification(
        user=staff_user(request), notification_id=notification_id
    )
    staff_notification_mark_read(notification=notification)
    target = staff_notification_target(notification)
    return redirect(target or "staff_notifications:list")


@staff_required()
@require_POST
def notification_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = access_staff_notification(
        user=staff_user(request), notification_id=notification_id
    )
    staff_notification_mark_read(notification=notification)
    return _back_to_list(request)


@staff_required()
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    staff_notifications_mark_all_read(actor=staff_user(request))
    return _back_to_list(request)


@staff_required()
@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    """The daily digest email on or off (a checkbox: absent means off)."""
    wanted = request.POST.get("daily_digest_email") == "on"
    staff_digest_preference_set(
        actor=staff_user(request), origin=request_origin(request), wanted=wanted
    )
    messages.success(
        request, "The daily digest email is on." if wanted else "The daily digest email is off."
    )
    return redirect("staff_notifications:list")


def _back_to_list(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    response = redirect("staff_notifications:list")
    if page.isdigit():
        response["Location"] += f"?page={page}"
    return response
