"""The base every DRF view of Portico stands on: its authentication and permissions are fixed
by a base class and cannot be loosened by a subclass.

DRF's default permission is `DenyAll` (shared_apps/web/permissions.py): a view written on a bare
`APIView` answers 403 to everyone instead of falling back to "any signed-in account". Real views
derive from a base built on `FailClosedApiView`: `PlatformApiView`
(shared_apps/operators/api_auth.py), `PracticeStaffApiView` and `PracticeAccountApiView`
(tenant_apps/access/api.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from shared_apps.web.permissions import DenyAll

# What decides who may call a view; only a base (declared with `base=True`) defines them.
FIXED_ATTRIBUTES = (
    "authentication_classes",
    "permission_classes",
    "get_authenticators",
    "get_permissions",
    "check_permissions",
    "check_object_permissions",
    "initial",
    "perform_authentication",
)


class FailClosedApiView(APIView):
    """A base of API views that fixes who may call them. A class declared with `base=True` (the
    API's bases) defines `get_authenticators` and `get_permissions`; any other subclass that sets
    or overrides one of FIXED_ATTRIBUTES is refused when it is defined (TypeError). A view narrows
    access with `extra_permission_classes`, checked after the base's own permission (all must
    pass)."""

    extra_permission_classes: ClassVar[tuple[type[BasePermission], ...]] = ()
    # The nearest class declared with `base=True`: the one that decides who may call this view.
    fail_closed_base: ClassVar[type[FailClosedApiView]]

    def __init_subclass__(cls, *, base: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if base:
            cls.fail_closed_base = cls
            return
        fixer = cls.fail_closed_base.__name__
        for attribute in FIXED_ATTRIBUTES:
            if attribute in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} must not set {attribute}: {fixer} fixes them "
                    "(use extra_permission_classes to narrow access)."
                )

    def get_authenticators(self) -> list[Any]:
        return []

    def get_permissions(self) -> list[BasePermission]:
        return [DenyAll()]

    def extra_permissions(self) -> list[BasePermission]:
        """The view's own narrowing checks, for a base's `get_permissions` to append."""
        return [check() for check in self.extra_permission_classes]


FailClosedApiView.fail_closed_base = FailClosedApiView
