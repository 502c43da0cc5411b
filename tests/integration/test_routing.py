"""Host → schema routing: platform host, practice hosts, unknown hosts, suspended practices."""

from __future__ import annotations

import pytest
from django.test import Client

from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import PracticeStatus
from shared_apps.tenancy.services import practice_host_cache_forget
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_platform_host_serves_the_public_site() -> None:
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert b"A client portal your practice owns" in response.content


def test_practice_host_serves_that_practice(cast: Cast) -> None:
    response = cast.a.http().get("/")
    assert response.status_code == 200
    assert b"<title>Practice A \xe2\x80\x94 Client portal</title>" in response.content
    assert b"Practice B" not in response.content


def test_port_in_host_is_ignored_for_routing(cast: Cast) -> None:
    response = Client(HTTP_HOST="b.localhost:8000").get("/")
    assert b"Practice B" in response.content


def test_unknown_subdomain_is_a_404_page_not_the_public_site(cast: Cast) -> None:
    response = Client(HTTP_HOST="nope.localhost").get("/")
    assert response.status_code == 404
    assert b"No portal at this address" in response.content
    assert b"A client portal your practice owns" not in response.content


def test_foreign_host_header_is_refused() -> None:
    response = Client(HTTP_HOST="evil.example.org").get("/")
    assert response.status_code == 400


@pytest.mark.parametrize("status", [PracticeStatus.SUSPENDED, PracticeStatus.OFFBOARDING])
def test_practice_that_is_not_active_shows_a_neutral_unavailable_page(
    cast: Cast, status: PracticeStatus
) -> None:
    practice = cast.a.practice
    practice.status = status
    practice.save(update_fields=["status"])
    practice_host_cache_forget(cast.a.host)
    try:
        response = cast.a.http().get("/")
        assert response.status_code == 503
        assert response["Retry-After"] == "3600"
        assert b"This portal is unavailable" in response.content
        assert b"Practice A" not in response.content
        # Practice B is untouched.
        assert cast.b.http().get("/").status_code == 200
    finally:
        practice.status = PracticeStatus.ACTIVE


def test_host_lookup_is_cached_and_forgotten_on_change(
    cast: Cast, django_assert_num_queries
) -> None:
    http = cast.a.http()
    http.get("/")  # warms the cache
    with django_assert_num_queries(0):
        assert http.get("/healthz").status_code == 200
    # Routing itself costs no query once cached: the portal home of an anonymous visitor is free.
    with django_assert_num_queries(0):
        assert http.get("/").status_code == 200

    cast.a.practice.status = PracticeStatus.SUSPENDED
    cast.a.practice.save(update_fields=["status"])
    assert http.get("/").status_code == 200  # still cached: services must forget the host
    practice_host_cache_forget(cast.a.host)
    assert http.get("/").status_code == 503
    cast.a.practice.status = PracticeStatus.ACTIVE


def test_connection_is_back_in_public_after_a_practice_request(cast: Cast) -> None:
    cast.a.http().get("/")
    assert current_schema_name() == "public"
