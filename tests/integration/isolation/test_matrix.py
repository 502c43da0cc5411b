"""Every practice route tried from the other practice, and a walker keeping the list complete."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.cast import Cast
from tests.integration.isolation.cases import ISOLATION_CASES


def _route_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif pattern.name is None:
            names.add(f"{namespace}<unnamed {pattern.pattern}>")
        else:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_route_walker_finds_a_case_for_every_practice_route() -> None:
    routes = _route_names(get_resolver("config.urls_tenant").url_patterns)
    missing = sorted(routes - ISOLATION_CASES.keys())
    assert not missing, f"routes without an isolation case in cases.py: {missing}"
    stale = sorted(ISOLATION_CASES.keys() - routes)
    assert not stale, f"isolation cases for routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ISOLATION_CASES))
def test_practice_b_gets_nothing_of_practice_a(cast: Cast, route: str) -> None:
    ISOLATION_CASES[route](cast)
