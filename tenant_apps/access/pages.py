"""Who may open a staff page: the practice's own staff, by role (the practice API's bases are in
tenant_apps/access/api.py).

Fails closed: anonymous visitors go to sign-in; clients and staff without the role get 403.
Objects are loaded with `access_*` selectors that answer 404 for "missing" and "not yours" alike.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shared_apps.accounts.models import StaffRole, User
from tenant_apps.access.api import ALL_STAFF_ROLES, has_staff_role

View = TypeVar("View", bound=Callable[..., HttpResponse])

# Staff who may read clinical content (form answers, submissions); admins (front desk) may not.
CLINICAL_ROLES = (StaffRole.OWNER, StaffRole.CLINICIAN)


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (call only behind `staff_required`)."""
    user = request.user
    if not isinstance(user, User) or not user.is_practice_staff:
        raise PermissionDenied
    return user


def staff_required(*roles: StaffRole) -> Callable[[View], View]:
    """Page decorator: staff of this practice with one of `roles` (any role when none given)."""
    allowed = frozenset(roles) or ALL_STAFF_ROLES

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_staff_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
