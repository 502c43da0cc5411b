"""The practice the current thread works for: one answer for views, services, tasks and storage."""

from __future__ import annotations

import uuid

from shared_apps.tenancy.db import current_schema_name, tenant_connection
from shared_apps.tenancy.models import Practice


class NoPracticeError(RuntimeError):
    """Raised when practice-only code runs in the public schema or a schema of no practice."""


def current_practice() -> Practice:
    """The practice whose schema the connection is in.

    On a request (and in a task, through the broker middleware) the connection's tenant is the
    full `Practice`; inside `schema_context` it is a stand-in holding only the schema name, and the
    practice is then read by that name. Raises `NoPracticeError` in the public schema or a schema
    that belongs to no practice: nothing should guess whose data it is touching.
    """
    tenant = getattr(tenant_connection, "tenant", None)
    schema = current_schema_name()
    if isinstance(tenant, Practice) and tenant.schema_name == schema:
        return tenant
    practice = Practice.objects.filter(schema_name=schema).first()
    if practice is None or schema == "public":
        raise NoPracticeError(f"This needs a practice's schema; the connection is in {schema!r}.")
    return practice


def current_practice_uuid() -> uuid.UUID:
    """The uuid of `current_practice()` (what storage keys and its guard are built on)."""
    return current_practice().uuid
