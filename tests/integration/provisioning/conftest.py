"""Helpers for provisioning tests that need committed practices (threads, schema cloning)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import make_password

from provisioning.services import Owner
from shared_apps.tenancy.models import Practice
from tests.cleanup import practice_remove

# Hashing once keeps the tests fast; the services take a hash, never a password.
OWNER_HASH = make_password("a-long-enough-owner-password")


def owner(email: str = "owner@new.example.com") -> Owner:
    return Owner(email=email, password_hash=OWNER_HASH, first_name="Nia", last_name="Newowner")


@pytest.fixture
def committed(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[list[Practice]]:
    """Run a test body outside any test transaction; every practice made meanwhile is removed
    afterwards (those appended to the yielded list and any the pool made)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        before = set(Practice.objects.values_list("pk", flat=True))
        made: list[Practice] = []
        yield made
        for practice in Practice.objects.exclude(pk__in=before):
            practice_remove(practice)
