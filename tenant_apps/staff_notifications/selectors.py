"""Reading a staff member's notifications."""

from __future__ import annotations

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.clients.models import Client
from tenant_apps.staff_notifications.models import StaffNotification


def staff_notifications_unread(
    *, user: User, limit: int = 10
) -> tuple[int, list[StaffNotification]]:
    """How many unread notifications `user` has, and the latest `limit` of them with their
    client (two queries)."""
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.count(), list(unread.select_related("client")[:limit])


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
