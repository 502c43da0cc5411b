"""Writing staff notifications, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.staff_notifications.models import (
    StaffNotification,
    StaffNotificationKind,
    StaffNotificationPreferences,
)


def staff_notify(
    *,
    recipients: Iterable[User],
    kind: StaffNotificationKind,
    client: Client | None = None,
    link: str = "",
) -> list[StaffNotification]:
    """One unread notification per recipient (each recipient once). `link` is a path in this
    portal (never PHI); the recipients usually come from `staff_to_notify_about(client)`."""
    unique = {user.pk: user for user in recipients}
    return StaffNotification.objects.bulk_create(
        [
            StaffNotification(recipient=user, kind=kind, client=client, link=link)
            for user in unique.values()
        ]
    )


def staff_notification_mark_read(*, notification: StaffNotification) -> bool:
    """Mark one notification read (the caller has loaded it with `access_staff_notification`).
    True if it was unread; marking twice changes nothing. No audit entry: reading one's own
    notification reveals and changes no client data."""
    updated = StaffNotification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated == 1


def staff_notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of `actor` read; how many were."""
    return StaffNotification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def staff_digest_preference_set(
    *, actor: User, origin: RequestOrigin | None = None, wanted: bool
) -> None:
    """Turn `actor`'s own daily digest email on or off. Audits
    `staff_notifications.digest_changed` (only when it changes)."""
    with transaction.atomic(durable=True):
        preferences, _ = StaffNotificationPreferences.objects.select_for_update().get_or_create(
            user=actor
        )
        if preferences.daily_digest_email == wanted:
            return
        preferences.daily_digest_email = wanted
        preferences.save(update_fields=["daily_digest_email", "updated_at"])
        audit_record(
            action=AuditAction.STAFF_NOTIFICATIONS_DIGEST_CHANGED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=actor.pk,
            detail={"daily_digest_email": wanted},
        )
