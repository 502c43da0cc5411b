"""Who may call the practice API (`/api/v1/` on a practice's host), and the role test that staff
pages share (tenant_apps/access/pages.py).

The authenticators are named in settings (`PORTICO_PRACTICE_API_AUTHENTICATION`: the session and
the staff API token of tenant_apps/accounts/api_tokens.py), so this bottom layer imports no app.

Every practice API view derives from `PracticeStaffApiView` or `PracticeAccountApiView`. Both fail
closed: the session or staff-token authentication and the permission are fixed here, and a
subclass that sets or overrides them is refused when it is defined (shared_apps/web/api.py). A view
narrows access (`staff_roles`, `extra_permission_classes`), never widens it. DRF's default
permission refuses everyone, so a view on a bare `APIView` serves nobody, and
tests/integration/test_api_bases.py fails for any routed view outside PRACTICE_API_BASES.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from shared_apps.accounts.models import StaffRole, User
from shared_apps.web.api import FailClosedApiView

ALL_STAFF_ROLES = frozenset(StaffRole)


def has_staff_role(user: Any, roles: Collection[StaffRole]) -> bool:
    """An active, signed-in staff member of this practice whose role is one of `roles`."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_practice_staff", False)
        and getattr(user, "is_active", False)
        and user.role in roles
    )


class IsPracticeStaff(BasePermission):
    """DRF: staff of this practice with one of the view's `staff_roles`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_staff_role(request.user, getattr(view, "staff_roles", ALL_STAFF_ROLES))


class IsPracticeAccount(BasePermission):
    """DRF: a signed-in, active account of this practice, staff or client."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_authenticated
            and user.is_active
            and (user.is_practice_staff or user.is_client)
        )


class _PracticeApiView(FailClosedApiView, base=True):
    """The practice API's authentication: the browser's session, or a staff API token (stored
    hashed in this practice's schema, so it works on no other host)."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        return [import_string(path)() for path in settings.PORTICO_PRACTICE_API_AUTHENTICATION]


class PracticeStaffApiView(_PracticeApiView, base=True):
    """Base of every staff view of the practice API: staff of this practice, by session or staff
    token. A view narrows the roles with `staff_roles`."""

    staff_roles: ClassVar[Collection[StaffRole]] = ALL_STAFF_ROLES

    def get_permissions(self) -> list[BasePermission]:
        return [IsPracticeStaff(), *self.extra_permissions()]


class PracticeAccountApiView(_PracticeApiView, base=True):
    """Base of a practice API view open to any account of this practice, client or staff (such a
    view answers about the caller's own account only, e.g. `/api/v1/me/`)."""

    def get_permissions(self) -> list[BasePermission]:
        return [IsPracticeAccount(), *self.extra_permissions()]


# The bases a practice API view may derive from.
PRACTICE_API_BASES: tuple[type[FailClosedApiView], ...] = (
    PracticeStaffApiView,
    PracticeAccountApiView,
)


def api_staff_user(request: Request) -> User:
    """The calling staff member (call only in a `PracticeStaffApiView`)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsPracticeStaff guarantees it
    return user
