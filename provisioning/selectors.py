"""Reads about schemas and the pool, for the console, the health page and `migrate_all`."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from shared_apps.tenancy.models import Practice, PracticeStatus


def schema_pending_migrations(schema_name: str) -> list[str] | None:
    """Migrations not applied yet in `schema_name` ("app.name"), or None if there is no schema."""
    if not schema_exists(schema_name):
        return None
    with schema_context(schema_name):
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def practices_to_migrate() -> list[Practice]:
    """Every practice whose schema exists or should: pooled, active, suspended (not offboarding)."""
    return list(Practice.objects.exclude(status=PracticeStatus.OFFBOARDING).order_by("id"))
