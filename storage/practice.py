"""Which practice the current database connection works for, as storage sees it."""

from __future__ import annotations

import uuid

from shared_apps.tenancy.db import current_schema_name, tenant_connection


def current_practice_uuid() -> uuid.UUID:
    """The uuid of the practice whose schema the connection is in.

    The connection's tenant is a full Practice on a request; inside `schema_context` it is a
    stand-in with only the schema name, so the practice is then looked up by that name.
    Raises RuntimeError in the public schema or for a schema that belongs to no practice: storage
    must never guess whose files it is touching.
    """
    from shared_apps.tenancy.models import Practice

    tenant = getattr(tenant_connection, "tenant", None)
    value = getattr(tenant, "uuid", None)
    if isinstance(value, uuid.UUID):
        return value
    schema = current_schema_name()
    found = Practice.objects.filter(schema_name=schema).values_list("uuid", flat=True).first()
    if found is None:
        raise RuntimeError("Storage for practice files needs a practice's schema.")
    return found
