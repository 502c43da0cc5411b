"""Writing the audit log. Call it in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.models import AuditEntry


def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    origin: RequestOrigin | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the current practice's schema.

    `actor` is who acted (None for an anonymous attempt or the system); `origin` where it came
    from (None from a task or a command). `detail` must hold no PHI (ids, counts, flags, field
    names — never values typed by a person). Raises ValueError for an action that is not an
    `AuditAction`.
    """
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_kind=actor.kind if actor is not None else "",
        actor_role=actor.role if actor is not None else "",
        action=AuditAction(action).value,
        object_type=object_type,
        object_id=str(object_id),
        ip=origin.ip if origin is not None else None,
        user_agent=origin.user_agent if origin is not None else "",
        detail=detail or {},
    )
