"""Writing staff notifications, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind


def staff_notify(
    *, recipients: Iterable[User], kind: StaffNotificationKind, client: Client | None = None
) -> list[StaffNotification]:
    """One unread notification per recipient (each recipient once)."""
    unique = {user.pk: user for user in recipients}
    return StaffNotification.objects.bulk_create(
        [StaffNotification(recipient=user, kind=kind, client=client) for user in unique.values()]
    )
