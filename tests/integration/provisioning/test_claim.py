"""Sign-up claims a warm practice; with the pool empty it clones the template; never shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning.schemas import template_schema_ensure
from provisioning.services import (
    pool_level,
    pool_practice_create,
    pool_refill,
    practice_claim,
)
from shared_apps.accounts.models import User, UserKind
from shared_apps.tenancy.models import Practice, PracticeEvent, PracticeStatus
from shared_apps.tenancy.subdomains import SubdomainError
from tests.support.provisioning import owner

pytestmark = pytest.mark.django_db


def _columns(schema_name: str) -> set[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = %s",
            [schema_name],
        )
        return set(cursor.fetchall())


def test_claim_from_the_pool_gives_an_active_practice_with_its_owner(settings) -> None:
    settings.PORTICO_POOL_SIZE = 2
    assert pool_refill(target=2) == 2
    assert pool_level() == 2

    practice = practice_claim(name="Calm Minds", subdomain="calm-minds", owner=owner())

    assert practice.status == PracticeStatus.ACTIVE
    assert practice.name == "Calm Minds"
    assert pool_level() == 1
    assert [d.domain for d in practice.domains.all()] == ["calm-minds.localhost"]
    with schema_context(practice.schema_name):
        account = User.objects.get()
        assert (account.kind, account.role) == (UserKind.STAFF, "owner")
        signed_in = authenticate(
            username="owner@new.example.com", password="a-long-enough-owner-password"
        )
        assert signed_in == account
    assert PracticeEvent.objects.filter(practice_uuid=practice.uuid, kind="claimed").exists()


def test_empty_pool_falls_back_to_cloning_the_template() -> None:
    template_schema_ensure()
    assert pool_level() == 0
    practice = practice_claim(name="Fallback", subdomain="fallback-clinic", owner=owner())
    assert practice.status == PracticeStatus.ACTIVE
    assert practice.schema_ready_at is not None
    reference = pool_practice_create(cloned=False)
    assert _columns(practice.schema_name) == _columns(reference.schema_name)


def test_a_template_missing_a_migration_still_yields_a_complete_practice(settings) -> None:
    template = settings.PORTICO_TEMPLATE_SCHEMA
    template_schema_ensure()
    with schema_context(template), connection.cursor() as cursor:
        # Make the template stale: as if the sessions app's migration had never run there.
        cursor.execute("DROP TABLE django_session")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
    assert ("django_session", "session_key", "character varying") not in _columns(template)

    practice = practice_claim(name="Stale", subdomain="stale-template", owner=owner())
    reference = pool_practice_create(cloned=False)
    assert _columns(practice.schema_name) == _columns(reference.schema_name)


def test_bad_input_never_creates_a_half_practice(cast: object) -> None:
    pool_refill(target=1)
    before = (Practice.objects.count(), pool_level())
    for subdomain in ["www", "a", "no spaces"]:
        with pytest.raises(SubdomainError):
            practice_claim(name="X", subdomain=subdomain, owner=owner())
    assert (Practice.objects.count(), pool_level()) == before


def test_pool_refill_finishes_a_crashed_half_made_practice_first(settings) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        half_made = Practice.objects.create(status=PracticeStatus.POOLED)  # crashed mid-way
    fresh = Practice.objects.create(status=PracticeStatus.POOLED)  # a sign-up's clone in progress
    assert pool_refill(target=1) == 1
    half_made.refresh_from_db()
    fresh.refresh_from_db()
    assert half_made.schema_ready_at is not None
    assert fresh.schema_ready_at is None
    assert pool_level() == 1
