"""Forgot / reset password on a practice's host: no enumeration, single-use links bound to the
password, the token out of the address bar at once, every session ended after a reset."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from shared_apps.accounts.models import AccountToken, TokenPurpose, User
from tests.cast import PASSWORD, Cast, PracticeCast
from tests.support.accounts import (
    audit_actions,
    link_token,
    outbox,
    user_fresh,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"


def _request_reset(practice: PracticeCast, email: str) -> tuple[int, bytes]:
    response = practice.http().post("/forgot-password/", {"email": email})
    return response.status_code, response.content


def _reset_token(practice: PracticeCast, email: str) -> str:
    assert _request_reset(practice, email)[0] == 200
    return link_token(outbox(practice, "password_reset")[-1], "reset-password")


def _open_link(http: Client, token: str) -> int:
    return http.get(f"/reset-password/{token}/").status_code


def _reset(practice: PracticeCast, token: str, password: str = NEW_PASSWORD) -> Client:
    http = practice.http()
    response = http.get(f"/reset-password/{token}/")
    assert response.status_code == 302
    assert response["Location"] == "/reset-password/"
    assert response["Referrer-Policy"] == "no-referrer"
    page = http.get("/reset-password/")
    assert page.status_code == 200
    # The form page keeps same-origin: no-referrer makes browsers post it with `Origin: null`.
    assert page["Referrer-Policy"] == "same-origin"
    assert token.encode() not in page.content
    done = http.post("/reset-password/", {"password1": password, "password2": password})
    assert done.status_code == 302, done.content
    assert done["Location"] == "/sign-in/"
    return http


def test_known_and_unknown_email_get_the_same_answer(cast: Cast) -> None:
    known = _request_reset(cast.a, cast.a.client_user.email.upper())
    unknown = _request_reset(cast.a, "nobody-here@example.com")
    assert known == unknown
    assert known[0] == 200
    emails = outbox(cast.a, "password_reset")
    assert [email.to_email for email in emails] == [cast.a.client_user.email]
    assert cast.a.client_user.first_name in emails[0].body_text
    # Another practice's address is "unknown" here, and queues nothing anywhere.
    assert _request_reset(cast.b, cast.a.client_user.email) == _request_reset(
        cast.b, "nobody-here@example.com"
    )
    assert outbox(cast.b, "password_reset") == []
    entries = audit_actions(cast.a, "password.reset_requested")
    assert [e.object_id for e in entries] == [str(cast.a.client_user.pk), ""]
    assert all(cast.a.client_user.email not in str(e.detail) for e in entries)


def test_staff_and_clients_reset_and_every_session_ends(cast: Cast) -> None:
    for user in (cast.a.client_user, cast.a.owner):
        other_browser = cast.a.signed_in(user)
        other_session = other_browser.cookies[settings.SESSION_COOKIE_NAME].value
        token = _reset_token(cast.a, user.email)
        _reset(cast.a, token)
        with cast.a.schema():
            assert not Session.objects.filter(session_key=other_session).exists()
        if user.is_practice_staff:
            assert other_browser.get("/staff/").status_code == 302
        else:
            assert b"Welcome back" not in other_browser.get("/").content
        with cast.a.schema():
            assert authenticate(username=user.email, password=PASSWORD) is None
            assert authenticate(username=user.email, password=NEW_PASSWORD) is not None
    assert [e.object_id for e in audit_actions(cast.a, "password.reset")] == [
        str(cast.a.client_user.pk),
        str(cast.a.client_user.pk),
        str(cast.a.owner.pk),
        str(cast.a.owner.pk),
    ]


def test_a_link_works_once(cast: Cast) -> None:
    token = _reset_token(cast.a, cast.a.client_user.email)
    _reset(cast.a, token)
    assert _open_link(cast.a.http(), token) == 404


def test_a_link_expires_after_an_hour(cast: Cast) -> None:
    token = _reset_token(cast.a, cast.a.client_user.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=59), tick=False):
        assert _open_link(cast.a.http(), token) == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert _open_link(cast.a.http(), token) == 404


def test_a_link_dies_when_the_password_changes(cast: Cast) -> None:
    first = _reset_token(cast.a, cast.a.client_user.email)
    second = _reset_token(cast.a, cast.a.client_user.email)
    http = cast.a.http()
    assert _open_link(http, first) == 302  # the form is open in this browser ...
    _reset(cast.a, second)  # ... while the other link changes the password
    assert _open_link(cast.a.http(), first) == 404
    assert http.get("/reset-password/").status_code == 404
    posted = http.post(
        "/reset-password/", {"password1": "x-other-pass-99", "password2": "x-other-pass-99"}
    )
    assert posted.status_code == 404


def test_a_link_dies_on_any_password_change_even_unused(cast: Cast) -> None:
    token = _reset_token(cast.a, cast.a.client_user.email)
    with cast.a.schema():
        user = User.objects.get(pk=cast.a.client_user.pk)
        user.set_password("changed-some-other-way-1")
        user.save()
    assert _open_link(cast.a.http(), token) == 404


def test_a_link_of_practice_a_is_404_on_practice_b(cast: Cast) -> None:
    token = _reset_token(cast.a, cast.a.client_user.email)
    on_b = cast.b.http()
    assert _open_link(on_b, token) == 404
    assert on_b.get("/reset-password/").status_code == 404
    assert _open_link(cast.a.http(), token) == 302


def test_the_new_password_must_pass_the_validators(cast: Cast) -> None:
    token = _reset_token(cast.a, cast.a.client_user.email)
    http = cast.a.http()
    http.get(f"/reset-password/{token}/")
    weak = http.post("/reset-password/", {"password1": "password", "password2": "password"})
    assert weak.status_code == 200
    assert user_fresh(cast.a, cast.a.client_user).check_password(PASSWORD)


def test_raw_tokens_are_in_no_token_row_and_no_log_line(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = _reset_token(cast.a, cast.a.client_user.email)
    _reset(cast.a, token)
    assert _open_link(cast.a.http(), token) == 404  # a used link, logged as a 404
    assert _open_link(cast.b.http(), token) == 404
    with cast.a.schema():
        rows = list(AccountToken.objects.filter(purpose=TokenPurpose.PASSWORD_RESET).values())
    assert rows
    for row in rows:
        assert all(token not in str(value) for value in row.values())
    assert caplog.records
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(getattr(record, "request", ""))


def test_invited_staff_without_a_password_get_no_link(cast: Cast) -> None:
    with cast.a.schema():
        User.objects.create_user("invited@example.com", None, kind="staff", role="clinician")
    assert _request_reset(cast.a, "invited@example.com")[0] == 200
    assert outbox(cast.a, "password_reset") == []
