"""Writing staff notifications, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind


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
