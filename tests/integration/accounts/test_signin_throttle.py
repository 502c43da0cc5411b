"""Sign-in throttling: per practice, per account and per IP (the client's, behind trusted
proxies), with separate budgets: a locked account refuses the correct password too, a locked IP
refuses only wrong passwords; every failure, lockout and success is audited without an email
address."""

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
ATTACKER = "198.51.100.9"
PROXY = "10.0.0.7"
PROXY_NETWORK = "10.0.0.0/8"


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


def test_five_wrong_passwords_for_a_client_do_not_lock_the_owner_out_of_that_ip(
    cast: Cast,
) -> None:
    # One address for the whole practice, as behind a clinic's NAT.
    user = user_make(cast.a, EMAIL.lower(), PASSWORD)
    http = cast.a.http()
    assert _fail(http, EMAIL, 5) == [200, 200, 200, 200, 429]

    owner = cast.a.http()
    assert _sign_in(owner, cast.a.owner.email, PASSWORD) == 302
    assert [e.actor_id for e in audit_actions(cast.a, "signin.succeeded")] == [cast.a.owner.pk]
    # The client's own account is locked, from anywhere.
    assert _sign_in(cast.a.http(), EMAIL, PASSWORD) == 429
    assert [e.object_id for e in audit_actions(cast.a, "signin.locked")] == [str(user.pk)]


def test_fifty_wrong_passwords_from_one_ip_lock_its_wrong_passwords_only(cast: Cast) -> None:
    attacker = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR=ATTACKER)
    assert [
        _sign_in(attacker, f"guess{number}@example.com", "not-the-password") for number in range(50)
    ] == [200] * 50
    # The IP is locked (audited once, without an account id since guess49 does not exist).
    assert [e.object_id for e in audit_actions(cast.a, "signin.locked")] == [""]

    # The 51st wrong password is refused, whichever account it names...
    response = attacker.post(
        "/sign-in/", {"username": cast.a.client_user.email, "password": "not-the-password"}
    )
    assert response.status_code == 429
    assert LOCKED in response.content
    assert _sign_in(attacker, "guess50@example.com", "not-the-password") == 429
    # ... but a correct password for an account that is not locked still signs in from there.
    assert _sign_in(attacker, cast.a.client_user.email, PASSWORD) == 302
    assert b"Welcome back" in attacker.get("/").content
    # Another address has its own budget.
    elsewhere = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.50")
    assert _sign_in(elsewhere, "guess0@example.com", "not-the-password") == 200


def test_wrong_passwords_from_a_locked_ip_still_count_on_the_account(
    cast: Cast, settings: Any
) -> None:
    settings.PORTICO_SIGNIN_IP_MAX_FAILURES = 3
    user_make(cast.a, EMAIL.lower(), PASSWORD)
    attacker = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR=ATTACKER)
    assert _fail(attacker, "someone@example.com", 3) == [200, 200, 200]
    assert _fail(attacker, EMAIL, 5) == [429] * 5
    # Five wrong passwords on the account, so it is locked for its correct password too.
    assert _sign_in(attacker, EMAIL, PASSWORD) == 429
    assert _sign_in(Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="203.0.113.50"), EMAIL, PASSWORD) == (
        429
    )


def test_clients_behind_a_trusted_proxy_are_counted_apart(cast: Cast, settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = [PROXY_NETWORK]
    settings.PORTICO_SIGNIN_IP_MAX_FAILURES = 3
    first = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    second = Client(
        HTTP_HOST=cast.a.host, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.50, 10.0.0.9"
    )
    assert [_sign_in(first, f"guess{n}@example.com", "wrong") for n in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    assert [_sign_in(second, f"guess{n}@example.com", "wrong") for n in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    # The audit log holds the clients' addresses, not the proxy's.
    assert {e.ip for e in audit_actions(cast.a, "signin.failed")} == {ATTACKER, "203.0.113.50"}


def test_a_spoofed_forwarded_for_does_not_dodge_the_ip_budget(cast: Cast, settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = [PROXY_NETWORK]
    settings.PORTICO_SIGNIN_IP_MAX_FAILURES = 3
    # A client reaching the app directly writes a new X-Forwarded-For on every attempt, even
    # one that names a trusted proxy: it is not a proxy, so the header is ignored.
    statuses = [
        Client(
            HTTP_HOST=cast.a.host,
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 10.0.0.{n}",
        )
        .post("/sign-in/", {"username": f"guess{n}@example.com", "password": "wrong"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert {e.ip for e in audit_actions(cast.a, "signin.failed")} == {ATTACKER}


def test_ipv6_addresses_share_the_budget_of_their_64_block(cast: Cast, settings: Any) -> None:
    settings.PORTICO_SIGNIN_IP_MAX_FAILURES = 3
    statuses = [
        _sign_in(
            Client(HTTP_HOST=cast.a.host, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"),
            f"guess{n}@example.com",
            "wrong",
        )
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    neighbour = Client(HTTP_HOST=cast.a.host, REMOTE_ADDR="2001:db8:1:3::1")
    assert _sign_in(neighbour, "guess0@example.com", "wrong") == 200


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
