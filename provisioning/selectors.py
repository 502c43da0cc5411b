"""Reads about schemas and the pool, for the console, the health page and `migrate_all`."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Q
from django_tenants.utils import schema_context, schema_exists

from shared_apps.accounts.models import User, UserKind
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


def practice_account_stats(practice: Practice) -> tuple[int, datetime | None]:
    """How many client accounts the practice has, and the latest sign-in of anyone there, for
    the operator console. Aggregates only: no row of the practice's leaves the database."""
    with schema_context(practice.schema_name):
        stats = User.objects.aggregate(
            clients=Count("pk", filter=Q(kind=UserKind.CLIENT)), last_login=Max("last_login")
        )
    return int(stats["clients"]), stats["last_login"]
