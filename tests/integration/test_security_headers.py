"""The security baseline on every kind of response (DESIGN.md §11.5)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _responses(cast: Cast) -> dict[str, object]:
    api = cast.a.signed_in(cast.a.owner)
    return {
        "public page": Client(HTTP_HOST="localhost").get("/", secure=True),
        "practice page": cast.a.http().get("/sign-in/", secure=True),
        "signed-in page": cast.a.signed_in(cast.a.owner).get("/staff/", secure=True),
        "not found": cast.a.http().get("/no-such-page/", secure=True),
        "unknown host": Client(HTTP_HOST="nope.localhost").get("/", secure=True),
        "api": api.get("/api/v1/me/", secure=True),
    }


@pytest.mark.parametrize(
    "kind",
    ["public page", "practice page", "signed-in page", "not found", "unknown host", "api"],
)
def test_baseline_headers(cast: Cast, kind: str) -> None:
    response = _responses(cast)[kind]
    csp = response["Content-Security-Policy"]  # type: ignore[index]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")  # type: ignore[index]
    assert response["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert response["Referrer-Policy"] == "same-origin"  # type: ignore[index]
    assert response["X-Frame-Options"] == "DENY"  # type: ignore[index]


@pytest.mark.parametrize("kind", ["practice page", "signed-in page", "not found", "api"])
def test_practice_host_and_signed_in_responses_are_never_stored(cast: Cast, kind: str) -> None:
    response = _responses(cast)[kind]
    assert "no-store" in response["Cache-Control"]  # type: ignore[index]


def test_api_response_is_json_for_the_signed_in_account_only(cast: Cast) -> None:
    response = cast.a.signed_in(cast.a.owner).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == cast.a.owner.email
    assert response.json()["role"] == "owner"
