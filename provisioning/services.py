"""Provisioning services: plain, typed, keyword-only functions; idempotent where they can be.

Schema creation runs outside any outer transaction (DESIGN.md §4): a practice row is saved first
(status `pooled`, no domain, so nothing routes to it), then its schema is created and migrated, then
the domain is added and the practice becomes `active` in one short transaction.
"""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from shared_apps.accounts.models import StaffRole, User, UserKind
from shared_apps.tenancy.models import Domain, Practice, PracticeStatus
from shared_apps.tenancy.selectors import practice_host_cache_forget, practice_subdomain_host


def practice_create_migrated(*, name: str, subdomain: str, time_zone: str = "UTC") -> Practice:
    """Create an active practice at `<subdomain>.<platform domain>` by running every migration.

    The slow, always-correct path (seconds). Resumable: if a practice already answers at that host,
    it is returned unchanged; a half-made one (row, no schema or no domain) is completed.
    """
    host = practice_subdomain_host(subdomain)
    existing = Domain.objects.select_related("tenant").filter(domain=host).first()
    if existing is not None:
        return existing.tenant

    practice = Practice.objects.create(name=name, time_zone=time_zone)
    practice.create_schema(check_if_exists=True, verbosity=0)
    with transaction.atomic():
        Domain.objects.create(domain=host, tenant=practice, is_primary=True)
        practice.status = PracticeStatus.ACTIVE
        practice.save(update_fields=["status", "updated_at"])
    practice_host_cache_forget(host)
    return practice


def practice_staff_create(
    *,
    practice: Practice,
    email: str,
    password: str | None,
    role: StaffRole,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a staff account inside `practice`'s own schema."""
    with schema_context(practice.schema_name):
        return User.objects.create_user(
            email,
            password,
            kind=UserKind.STAFF,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )


def practice_client_account_create(
    *,
    practice: Practice,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a client's portal account inside `practice`'s own schema."""
    with schema_context(practice.schema_name):
        return User.objects.create_user(
            email, password, kind=UserKind.CLIENT, first_name=first_name, last_name=last_name
        )
