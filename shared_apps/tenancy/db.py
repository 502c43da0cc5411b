"""Typed access to django-tenants' database wrapper, which adds schema switching to the
connection (`schema_name`, `set_tenant`, `set_schema_to_public`) and ships no type information."""

from __future__ import annotations

from typing import Any

from django.db import connection

tenant_connection: Any = connection


def current_schema_name() -> str:
    """The schema the current thread's connection is in (`public` or a practice's)."""
    return str(tenant_connection.schema_name)
