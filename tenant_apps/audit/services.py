"""Writing the audit log. Call it in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry

_USER_AGENT_MAX = 300


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the current practice's schema.

    `actor` defaults to the request's signed-in user; IP and user agent come from the request.
    `detail` must hold no PHI (ids, counts, flags, field names — never values typed by a person).
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_kind=actor.kind if actor is not None else "",
        actor_role=actor.role if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
        user_agent=(
            request.headers.get("User-Agent", "")[:_USER_AGENT_MAX] if request is not None else ""
        ),
        detail=detail or {},
    )
