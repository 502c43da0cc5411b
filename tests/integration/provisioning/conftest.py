"""Fixtures for provisioning tests that need committed practices (threads, schema cloning)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared_apps.tenancy.models import Practice
from tests.cleanup import practice_remove


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
