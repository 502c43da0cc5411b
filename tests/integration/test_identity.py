"""Identity is per practice: accounts, credentials and sessions never cross practices."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction

from shared_apps.accounts.models import StaffRole, User, UserKind
from shared_apps.tenancy.middleware import SESSION_SCHEMA_KEY
from tests.cast import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def _is_signed_in(response_content: bytes) -> bool:
    return b"Welcome back" in response_content


def test_client_signs_in_with_email_and_password(cast: Cast) -> None:
    http = cast.a.http()
    response = http.post("/sign-in/", {"username": "CLIENT@A.example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _is_signed_in(http.get("/").content)


def test_staff_sign_in_lands_on_staff_home(cast: Cast) -> None:
    http = cast.a.http()
    response = http.post("/sign-in/", {"username": cast.a.owner.email, "password": PASSWORD})
    assert response["Location"] == "/staff/"
    assert http.get("/staff/").status_code == 200


def test_credentials_of_practice_a_fail_on_practice_b(cast: Cast) -> None:
    http = cast.b.http()
    response = http.post("/sign-in/", {"username": cast.a.client_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert b"do not match an account at this practice" in response.content
    assert "_auth_user_id" not in http.session
    with cast.b.schema():
        assert authenticate(username=cast.a.client_user.email, password=PASSWORD) is None


def test_same_email_at_two_practices_is_two_separate_accounts(cast: Cast) -> None:
    email = "shared.person@example.com"
    with cast.a.schema():
        User.objects.create_user(email, "password-for-a-1", kind=UserKind.CLIENT)
    with cast.b.schema():
        User.objects.create_user(email, "password-for-b-2", kind=UserKind.CLIENT)
        assert authenticate(username=email, password="password-for-a-1") is None
        assert authenticate(username=email, password="password-for-b-2") is not None


def test_session_cookie_from_a_replayed_on_b_is_anonymous(cast: Cast) -> None:
    signed_in_on_a = cast.a.signed_in(cast.a.client_user)
    assert _is_signed_in(signed_in_on_a.get("/").content)
    cookie = signed_in_on_a.cookies[settings.SESSION_COOKIE_NAME].value

    on_b = cast.b.http()
    on_b.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = on_b.get("/")
    assert response.status_code == 200
    assert not _is_signed_in(response.content)
    assert on_b.get("/staff/").status_code == 302
    assert on_b.get("/api/v1/me/").status_code == 403


def test_session_is_refused_outside_the_schema_it_was_made_in(cast: Cast) -> None:
    """Defence in depth: even if A's session row were readable on B, B would refuse it."""
    http = cast.a.http()
    http.post("/sign-in/", {"username": cast.a.client_user.email, "password": PASSWORD})
    key = http.cookies[settings.SESSION_COOKIE_NAME].value
    with cast.a.schema():
        row = Session.objects.get(session_key=key)
        assert row.get_decoded()[SESSION_SCHEMA_KEY] == cast.a.practice.schema_name
    with cast.b.schema():
        # A B account with the same primary key as A's client, so only the guard can refuse it.
        User.objects.filter(pk=cast.a.client_user.pk).delete()
        User.objects.create(
            pk=cast.a.client_user.pk,
            email="lookalike@b.example.com",
            kind=UserKind.CLIENT,
            password=cast.a.client_user.password,
        )
        Session.objects.create(
            session_key=key, session_data=row.session_data, expire_date=row.expire_date
        )

    on_b = cast.b.http()
    on_b.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _is_signed_in(on_b.get("/").content)
    with cast.b.schema():
        assert not Session.objects.filter(session_key=key).exists()


def test_session_cookie_is_host_only(cast: Cast) -> None:
    http = cast.a.http()
    http.post("/sign-in/", {"username": cast.a.client_user.email, "password": PASSWORD})
    morsel = http.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["domain"] == ""
    assert morsel["httponly"]
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None


def test_staff_need_a_role_and_clients_have_none(cast: Cast) -> None:
    with cast.a.schema():
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(email="norole@a.example.com", kind=UserKind.STAFF)
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(
                email="odd@a.example.com", kind=UserKind.CLIENT, role=StaffRole.OWNER
            )


def test_emails_are_stored_lower_case(cast: Cast) -> None:
    with cast.a.schema():
        user = User.objects.create_user(
            "Mixed.Case@Example.COM", "a-long-password", kind=UserKind.CLIENT
        )
        assert user.email == "mixed.case@example.com"


def test_client_cannot_open_staff_pages(cast: Cast) -> None:
    assert cast.a.signed_in(cast.a.client_user).get("/staff/").status_code == 403


def test_sign_out_ends_the_session(cast: Cast) -> None:
    http = cast.a.signed_in(cast.a.client_user)
    assert http.post("/sign-out/").status_code == 302
    assert not _is_signed_in(http.get("/").content)


def test_user_str_carries_no_personal_data(cast: Cast) -> None:
    text = str(cast.a.client_user)
    assert cast.a.client_user.email not in text
    assert cast.a.client_user.first_name not in text
