"""Reading a staff member's notifications. Every read here is scoped to one recipient: a staff
member only ever sees, opens or marks their own notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.clients.models import Client
from tenant_apps.clients.selectors import clients_visible_to
from tenant_apps.staff_notifications.models import (
    StaffNotification,
    StaffNotificationKind,
    StaffNotificationPreferences,
)

# What each kind says, with the client's name (shown only to staff who may see that client) or
# without it. No form titles or message text: the notification says what happened, not what.
_TEXTS: dict[str, tuple[str, str]] = {
    StaffNotificationKind.ONBOARDING_COMPLETED: (
        "{name} completed onboarding",
        "A client completed onboarding",
    ),
    StaffNotificationKind.FORM_COMPLETED: ("{name} completed a form", "A client completed a form"),
    StaffNotificationKind.FORM_SIGNED: ("{name} signed a form", "A client signed a form"),
    StaffNotificationKind.CLIENT_UPLOAD: ("{name} uploaded a file", "A client uploaded a file"),
    StaffNotificationKind.NEW_MESSAGE: ("New message from {name}", "New message from a client"),
    StaffNotificationKind.BOOKING_REQUEST: (
        "Booking request from {name}",
        "New booking request",
    ),
}


@dataclass(frozen=True)
class NotificationItem:
    """A notification as the notification centre shows it."""

    notification: StaffNotification
    text: str

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


def staff_notifications_unread(
    *, user: User, limit: int = 10
) -> tuple[int, list[StaffNotification]]:
    """How many unread notifications `user` has, and the latest `limit` of them with their
    client (two queries)."""
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.count(), list(unread.select_related("client")[:limit])


def staff_notifications_unread_count(*, user: User) -> int:
    """The bell's number (one indexed query)."""
    return StaffNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def bell_context(user: User) -> dict[str, object]:
    """What the bell shows: `user`'s unread count, and how often it asks again."""
    return {
        "show_bell": True,
        "unread_count": staff_notifications_unread_count(user=user),
        "poll_seconds": settings.PORTICO_BELL_POLL_SECONDS,
    }


def staff_notification_list(
    *, user: User, kind: StaffNotificationKind | None = None
) -> QuerySet[StaffNotification]:
    """`user`'s notifications (of one `kind` when given), newest first, read and unread, with
    their client joined."""
    notifications = StaffNotification.objects.filter(recipient=user)
    if kind is not None:
        notifications = notifications.filter(kind=kind)
    return notifications.select_related("client").order_by("-created_at", "-id")


def staff_digest_wanted(*, user: User) -> bool:
    """Whether `user` gets the daily digest email (on unless turned off)."""
    return not StaffNotificationPreferences.objects.filter(
        user=user, daily_digest_email=False
    ).exists()


def staff_notification_items(
    *, viewer: User, notifications: list[StaffNotification]
) -> list[NotificationItem]:
    """Texts for `notifications` (one query): the client's name only where `viewer` may still see
    that client (a clinician no longer assigned sees "a client")."""
    client_ids = {n.client_id for n in notifications if n.client_id is not None}
    visible = set(
        clients_visible_to(viewer=viewer).filter(pk__in=client_ids).values_list("pk", flat=True)
        if client_ids
        else []
    )
    items = []
    for notification in notifications:
        with_name, without_name = _TEXTS.get(
            notification.kind, ("{name}: " + notification.get_kind_display(), "Notification")
        )
        client = notification.client
        if client is not None and client.pk in visible:
            text = with_name.format(name=client.display_name)
        else:
            text = without_name
        items.append(NotificationItem(notification=notification, text=text))
    return items


def access_staff_notification(*, user: User, notification_id: int) -> StaffNotification:
    """`user`'s notification `notification_id`; Http404 whether it is missing or someone
    else's."""
    notification = StaffNotification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404("No notification found.")
    return notification


def staff_notification_target(notification: StaffNotification) -> str | None:
    """Where opening the notification goes: its link, only when that is a path of the staff
    side of this very portal (never another host, scheme or the client side); None otherwise."""
    link = notification.link
    if not link.startswith("/staff/") or "\\" in link:
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return None
    return link


def staff_to_notify_about(client: Client) -> list[User]:
    """The active owners and the client's assigned clinician: who hears about a client's activity
    (admin staff do not: they see no clinical content)."""
    staff = list(
        User.objects.filter(kind=UserKind.STAFF, role=StaffRole.OWNER, is_active=True).order_by(
            "pk"
        )
    )
    clinician = client.clinician
    if clinician is not None and clinician.is_active and clinician not in staff:
        staff.append(clinician)
    return staff
