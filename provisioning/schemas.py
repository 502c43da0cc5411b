"""Low-level schema operations. Only provisioning/ creates, migrates, clones or drops schemas.

Every function is idempotent: it can be re-run after a crash at any point and finishes the job.
None runs inside an outer transaction: creating a schema takes seconds and must not hold locks on
public tables meanwhile (DESIGN.md §4).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists
from psycopg import sql

from shared_apps.tenancy.db import tenant_connection


def _execute(statement: sql.Composable) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(connection.connection))


def schema_create_migrated(schema_name: str) -> None:
    """Create `schema_name` if missing and run every tenant migration in it (no-op when current)."""
    _execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema_name)))
    schema_migrate(schema_name)


def schema_migrate(schema_name: str) -> None:
    """Run the tenant apps' migrations in `schema_name` for real (never `--fake`)."""
    call_command(
        "migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0
    )
    tenant_connection.set_schema_to_public()


def schema_create_cloned(schema_name: str) -> None:
    """Clone the template schema into `schema_name`, then migrate it for real, so a template that
    is missing a migration still yields a complete schema. Falls back to migrations alone when
    there is no template."""
    template = template_schema_name()
    if not schema_exists(template):
        schema_create_migrated(schema_name)
        return
    if not schema_exists(schema_name):
        CloneSchema().clone_schema(template, schema_name, "DATA", set_connection=True)
    schema_migrate(schema_name)


def schema_drop(schema_name: str) -> None:
    # Inside a transaction that wrote to the schema, deferred foreign-key checks would still be
    # pending and PostgreSQL refuses the drop: run them now.
    _execute(sql.SQL("SET CONSTRAINTS ALL IMMEDIATE"))
    _execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema_name)))


def template_schema_name() -> str:
    return str(settings.PORTICO_TEMPLATE_SCHEMA)


def template_schema_ensure() -> None:
    """Create or bring up to date the template schema the clone path copies (not a practice)."""
    schema_create_migrated(template_schema_name())


@contextmanager
def advisory_lock(lock_id: int) -> Iterator[bool]:
    """Try to take a PostgreSQL advisory lock for the duration of the block; yields whether it was
    taken. It is held on a connection of its own: migrations close Django's connection, which
    would silently release a lock held there."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as own:
        row = own.execute("SELECT pg_try_advisory_lock(%s)", [lock_id]).fetchone()
        yield bool(row and row[0])
