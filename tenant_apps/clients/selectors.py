"""Reading client records, always through the viewer's role.

Owners and admins see every client of the practice; a clinician sees only the clients assigned to
them; anyone else (clients, operators, inactive staff) sees none. `access_client` answers the same
404 for a client that does not exist and for one the viewer may not see.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.clients.models import Client, PortalStatus

_SEARCH_FIELDS = ("first_name", "last_name", "preferred_name", "email")


def clients_visible_to(*, viewer: User) -> QuerySet[Client]:
    """Every client `viewer` may see, archived ones included."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_practice_staff):
        return Client.objects.none()
    if viewer.role in (StaffRole.OWNER, StaffRole.ADMIN):
        return Client.objects.all()
    if viewer.role == StaffRole.CLINICIAN:
        return Client.objects.filter(clinician=viewer)
    return Client.objects.none()


def client_list(
    *,
    viewer: User,
    search: str = "",
    portal_status: PortalStatus | str | None = None,
    include_archived: bool = False,
) -> QuerySet[Client]:
    """The clients `viewer` may see, by name; a fixed number of queries however many there are
    (the clinician is joined). `search` matches every word against names and email."""
    clients = clients_visible_to(viewer=viewer).select_related("clinician")
    if not include_archived:
        clients = clients.filter(is_archived=False)
    if portal_status:
        clients = clients.filter(portal_status=portal_status)
    for word in search.split():
        match = Q()
        for field in _SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        clients = clients.filter(match)
    return clients


def access_client(*, viewer: User, client_id: int) -> Client:
    """The client `client_id` if `viewer` may see it; Http404 otherwise, whether it is missing or
    not theirs."""
    client = (
        clients_visible_to(viewer=viewer).select_related("clinician").filter(pk=client_id).first()
    )
    if client is None:
        raise Http404("No client found.")
    return client


def clinicians_assignable() -> QuerySet[User]:
    """Active clinicians of this practice, who can be assigned a client."""
    return User.objects.filter(
        kind=UserKind.STAFF, role=StaffRole.CLINICIAN, is_active=True
    ).order_by("last_name", "first_name", "id")


def client_emails_in_use(*, emails: Iterable[str], exclude_id: int | None = None) -> set[str]:
    """Which of `emails` (lower-case) belong to a client that is not archived."""
    wanted = {email for email in emails if email}
    if not wanted:
        return set()
    in_use = Client.objects.filter(is_archived=False, email__in=wanted)
    if exclude_id is not None:
        in_use = in_use.exclude(pk=exclude_id)
    return set(in_use.values_list("email", flat=True))
