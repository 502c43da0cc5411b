"""The isolation matrix: for every route of a practice host, what practice B's host does with
practice A's people, cookies and credentials. Each case also asserts that nothing changed.

A new route in config/urls_tenant.py needs a case here (test_route_walker fails otherwise).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.contrib.sessions.models import Session
from django.test import Client

from shared_apps.accounts.models import TokenPurpose, User
from shared_apps.accounts.tokens import account_token_issue
from tests.cast import PASSWORD, Cast, PracticeCast
from tests.support.isolation import cookie_carried


def _a_cookie_on_b(cast: Cast, signed_in_as: str = "client_user") -> tuple[Client, Client]:
    """A's signed-in browser, and B's host receiving the very same session cookie."""
    on_a = cast.a.signed_in(getattr(cast.a, signed_in_as))
    return on_a, cookie_carried(on_a, cast.b)


def _session_count(practice: PracticeCast) -> int:
    with practice.schema():
        return Session.objects.count()


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (
        cast.a.practice.name,
        cast.a.practice.schema_name,
        cast.a.client_user.email,
        cast.a.client_user.first_name,
        cast.a.owner.email,
    ):
        assert secret.encode() not in content, secret


def portal_home(cast: Cast) -> None:
    on_a, on_b = _a_cookie_on_b(cast)
    response = on_b.get("/")
    assert response.status_code == 200
    assert b"Welcome back" not in response.content
    _assert_nothing_of_a(response.content, cast)
    assert b"Welcome back" in on_a.get("/").content


def portal_sign_in(cast: Cast) -> None:
    before = _session_count(cast.b)
    on_b = cast.b.http()
    response = on_b.post("/sign-in/", {"username": cast.a.client_user.email, "password": PASSWORD})
    assert response.status_code == 200
    _assert_nothing_of_a(response.content.replace(cast.a.client_user.email.encode(), b""), cast)
    assert _session_count(cast.b) == before


def portal_sign_out(cast: Cast) -> None:
    on_a, on_b = _a_cookie_on_b(cast)
    before = _session_count(cast.a)
    assert on_b.post("/sign-out/").status_code == 302
    assert _session_count(cast.a) == before
    assert b"Welcome back" in on_a.get("/").content


def staff_home(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    response = on_b.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    own = cast.b.signed_in(cast.b.owner).get("/staff/")
    assert own.status_code == 200
    _assert_nothing_of_a(own.content, cast)


def api_me(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    response = on_b.get("/api/v1/me/")
    assert response.status_code == 403
    _assert_nothing_of_a(response.content, cast)
    own = cast.b.signed_in(cast.b.owner).get("/api/v1/me/")
    assert own.json()["email"] == cast.b.owner.email


def api_schema(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    response = on_b.get("/api/schema/")
    assert response.status_code == 200
    _assert_nothing_of_a(response.content, cast)


def _a_token(cast: Cast, purpose: TokenPurpose) -> str:
    with cast.a.schema():
        return account_token_issue(user=cast.a.owner, purpose=purpose, lifetime=timedelta(hours=1))


def staff_welcome(cast: Cast) -> None:
    token = _a_token(cast, TokenPurpose.SIGN_IN_HANDOFF)
    on_b = cast.b.http()
    assert on_b.get(f"/staff/welcome/{token}/").status_code == 404
    assert "_auth_user_id" not in on_b.session
    on_a = cast.a.http()
    assert on_a.get(f"/staff/welcome/{token}/").status_code == 302  # still unused on A
    assert on_a.get("/staff/").status_code == 200


def staff_confirm_email(cast: Cast) -> None:
    token = _a_token(cast, TokenPurpose.EMAIL_CONFIRMATION)
    assert cast.b.http().get(f"/staff/confirm-email/{token}/").status_code == 404
    with cast.a.schema():
        assert User.objects.get(pk=cast.a.owner.pk).email_confirmed_at is None
    assert cast.a.http().get(f"/staff/confirm-email/{token}/").status_code == 302


ISOLATION_CASES: dict[str, Callable[[Cast], None]] = {
    "portal:home": portal_home,
    "portal:sign-in": portal_sign_in,
    "portal:sign-out": portal_sign_out,
    "staff:home": staff_home,
    "staff:welcome": staff_welcome,
    "staff:confirm-email": staff_confirm_email,
    "api-me": api_me,
    "api-schema": api_schema,
}

# Each feature area adds its own module `cases_<area>.py` beside this one, defining `CASES` (route
# name → case function), so that areas built in parallel never edit the same file.
for _module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _module.name.startswith("cases_"):
        _extra = importlib.import_module(f"tests.integration.isolation.{_module.name}").CASES
        _clash = ISOLATION_CASES.keys() & _extra.keys()
        assert not _clash, f"isolation cases defined twice: {sorted(_clash)}"
        ISOLATION_CASES.update(_extra)
