"""Fixtures of the messaging tests: practice A's clients set up for secure messaging."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tenant_apps.clients.models import Client
from tests.cast import Cast
from tests.support.messaging import messaging_client


@pytest.fixture
def mara(cast: Cast) -> Client:
    """A's client with messaging on, email allowed, assigned to A's clinician."""
    return messaging_client(cast.a, clinician=cast.a.clinician)


@pytest.fixture
def otto(cast: Cast) -> Client:
    """Another client of A with messaging on, assigned to nobody."""
    return messaging_client(
        cast.a, first_name="Otto", last_name="Otherclient", email="otto.other@example.org"
    )


@pytest.fixture
def in_a(cast: Cast) -> Iterator[None]:
    with cast.a.schema():
        yield
