"""DRF's default permission (REST_FRAMEWORK in config/settings/base.py).

Kept apart from shared_apps/web/api.py: DRF imports its default permission while
`rest_framework.views` is still loading, so this module must not import that."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request


class DenyAll(BasePermission):
    """Nobody: the default for any view not built on a base of shared_apps/web/api.py."""

    message = "This endpoint is not open to anyone."

    def has_permission(self, request: Request, view: Any) -> bool:
        return False
