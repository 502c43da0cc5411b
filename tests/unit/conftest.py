"""Unit tests exercise pure code: none of them may touch the database."""

from __future__ import annotations

import pytest

_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup"})


@pytest.fixture(autouse=True)
def _no_database(request: pytest.FixtureRequest) -> None:
    """Fail a unit test that asks for the database (directly, through `cast`, or by its mark):
    it belongs in tests/integration/."""
    asked = _DATABASE_FIXTURES & set(request.fixturenames)
    assert not asked, f"{request.node.nodeid} uses the database ({', '.join(sorted(asked))})"
    assert request.node.get_closest_marker("django_db") is None, request.node.nodeid
