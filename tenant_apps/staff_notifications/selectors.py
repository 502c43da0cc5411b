"""Reading a staff member's notifications."""

from __future__ import annotations

from shared_apps.accounts.models import User
from tenant_apps.staff_notifications.models import StaffNotification


def staff_notifications_unread(
    *, user: User, limit: int = 10
) -> tuple[int, list[StaffNotification]]:
    """How many unread notifications `user` has, and the latest `limit` of them with their
    client (two queries)."""
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.count(), list(unread.select_related("client")[:limit])
