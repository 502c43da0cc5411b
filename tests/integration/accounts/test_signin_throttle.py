"""Sign-in throttling: per practice, per account and per IP; locked means the correct password is
refused too; every failure, lockout and success is audited without an email address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.cast import PASSWORD, Cast
from tests.support.accounts import audit_actions, user_make

pytestmark = pytest.mark.django_db

LOCKED = b"Too many failed sign-ins. Try again in 15 minutes or reset your password."
EMAIL = "Pat.Person@example.com"


def _sign_in(http: Client, email: str, password: str) -> int:
    return http.post("/sign-in/", {"username": email, "password": password}).status_code


def _fail(http: Client, email: str, times: int) -> list[int]:
    return [_sign_in(http, email, "not-the-password") for _ in range(times)]


def test_five_failures_lock_the_account_even_for_the_correct_password(cast: Cast) -> None:
    user = user_make(cast.a, EMAIL.lower(), PASSWORD)
    http = cast.a.http()
    assert _fail(http, EMAIL, 5) == [200, 200, 200, 200, 429]

    response = http.post("/sign-in/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content
    assert b"Welcome back" not in http.get("/").content

    # Another browser, from another address: the account itself is locked.
    elsewhere = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.50")
    assert _sign_in(elsewhere, EMAIL.upper(), PASSWORD) == 429

    actions = [(entry.action, entry.object_id) for entry in audit_actions(cast.a, "signin.")]
    assert actions == [
        *[("signin.failed", str(user.pk))] * 5,
        ("signin.locked", str(user.pk)),
        ("signin.failed", str(user.pk)),
        ("signin.failed", str(user.pk)),
    ]
    assert [entry.detail for entry in audit_actions(cast.a, "signin.")][-2:] == [
        {"locked": True},
        {"locked": True},
    ]


def test_lock_ends_after_fifteen_minutes(cast: Cast) -> None:
    user_make(cast.a, EMAIL.lower(), PASSWORD)
    http = cast.a.http()
    _fail(http, EMAIL, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert _sign_in(http, EMAIL, PASSWORD) == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1), tick=False):
        response = http.post("/sign-in/", {"username": EMAIL, "password": PASSWORD})
        assert response.status_code == 302
        assert [e.action for e in audit_actions(cast.a, "signin.succeeded")] == ["signin.succeeded"]


def test_the_same_email_at_practice_b_is_unaffected(cast: Cast) -> None:
    user_make(cast.a, EMAIL.lower(), PASSWORD)
    user_make(cast.b, EMAIL.lower(), PASSWORD)
    assert _fail(cast.a.http(), EMAIL, 5)[-1] == 429
    assert _sign_in(cast.a.http(), EMAIL, PASSWORD) == 429

    on_b = cast.b.http()
    assert _sign_in(on_b, EMAIL, PASSWORD) == 302
    assert b"Welcome back" in on_b.get("/").content
    assert audit_actions(cast.b, "signin.locked") == []


def test_five_failures_from_one_ip_lock_that_ip_for_every_account(cast: Cast) -> None:
    attacker = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="198.51.100.9")
    for number in range(5):
        _sign_in(attacker, f"guess{number}@example.com", "not-the-password")
    assert _sign_in(attacker, cast.a.client_user.email, PASSWORD) == 429
    # The accounts themselves are not locked: from elsewhere the client signs in.
    assert _sign_in(Client(HTTP_HOST=cast.a.host), cast.a.client_user.email, PASSWORD) == 302
    # Unknown addresses are audited without an account id.
    assert [e.object_id for e in audit_actions(cast.a, "signin.locked")] == [""]


def test_success_clears_the_account_count(cast: Cast) -> None:
    user_make(cast.a, EMAIL.lower(), PASSWORD)
    assert _fail(Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.1"), EMAIL, 4) == [200] * 4
    assert (
        _sign_in(Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.2"), EMAIL, PASSWORD) == 302
    )
    assert _fail(Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.3"), EMAIL, 4) == [200] * 4


def test_sign_in_and_sign_out_are_audited_without_the_email(cast: Cast) -> None:
    http = cast.a.http()
    _fail(http, cast.a.client_user.email, 1)
    assert _sign_in(http, cast.a.client_user.email, PASSWORD) == 302
    assert http.post("/sign-out/").status_code == 302
    entries = audit_actions(cast.a)
    assert [(e.action, e.object_id) for e in entries] == [
        ("signin.failed", str(cast.a.client_user.pk)),
        ("signin.succeeded", str(cast.a.client_user.pk)),
        ("signout", str(cast.a.client_user.pk)),
    ]
    assert entries[1].actor_id == cast.a.client_user.pk
    for entry in entries:
        row = f"{entry.object_id} {entry.detail} {entry.user_agent} {entry.object_type}"
        assert cast.a.client_user.email not in row.lower()


def test_throttle_settings_are_read(cast: Cast, settings: Any) -> None:
    settings.PORTICO_SIGNIN_MAX_FAILURES = 2
    user_make(cast.a, EMAIL.lower(), PASSWORD)
    assert _fail(cast.a.http(), EMAIL, 2) == [200, 429]
