"""A staff member's own profile: name and email, password change, signing out elsewhere."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from tests.cast import PASSWORD, Cast
from tests.support.accounts import audit_actions, clinician_of, user_fresh
from tests.support.hostile_input import TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-31"


def _session_exists(cast: Cast, key: str) -> bool:
    with cast.a.schema():
        return Session.objects.filter(session_key=key).exists()


def test_staff_change_their_name_and_email(cast: Cast) -> None:
    http = cast.a.signed_in(clinician_of(cast.a))
    assert http.get("/staff/profile/").status_code == 200
    response = http.post(
        "/staff/profile/",
        {
            "action": "profile",
            "first_name": clinician_of(cast.a).first_name,
            "last_name": "Newname",
            "email": "Cleo.New@A.example.com",
        },
    )
    assert response.status_code == 302
    clinician = user_fresh(cast.a, clinician_of(cast.a))
    assert (clinician.last_name, clinician.email) == ("Newname", "cleo.new@a.example.com")
    entries = audit_actions(cast.a, "profile.updated")
    assert [e.detail for e in entries] == [{"fields": ["email", "last_name"]}]


def test_an_email_already_used_at_the_practice_is_refused(cast: Cast) -> None:
    http = cast.a.signed_in(clinician_of(cast.a))
    response = http.post(
        "/staff/profile/",
        {"action": "profile", "first_name": "C", "last_name": "C", "email": cast.a.owner.email},
    )
    assert response.status_code == 200
    assert b"Another account at this practice uses that email." in response.content
    assert user_fresh(cast.a, clinician_of(cast.a)).email == clinician_of(cast.a).email
    assert audit_actions(cast.a, "profile.") == []


def test_an_email_longer_than_the_column_is_refused(cast: Cast) -> None:
    http = cast.a.signed_in(clinician_of(cast.a))
    response = http.post(
        "/staff/profile/",
        {"action": "profile", "first_name": "C", "last_name": "C", "email": TOO_LONG_EMAIL},
    )
    assert response.status_code == 200
    assert b"Ensure this value has at most 254 characters (it has 264)." in response.content
    assert user_fresh(cast.a, clinician_of(cast.a)).email == clinician_of(cast.a).email
    assert audit_actions(cast.a, "profile.") == []


def test_password_change_keeps_this_session_and_ends_the_others(cast: Cast) -> None:
    here = cast.a.signed_in(clinician_of(cast.a))
    elsewhere = cast.a.signed_in(clinician_of(cast.a))
    elsewhere_key = elsewhere.cookies[settings.SESSION_COOKIE_NAME].value
    response = here.post(
        "/staff/profile/",
        {
            "action": "password",
            "current_password": PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert user_fresh(cast.a, clinician_of(cast.a)).check_password(NEW_PASSWORD)
    assert here.get("/staff/profile/").status_code == 200
    assert not _session_exists(cast, elsewhere_key)
    assert elsewhere.get("/staff/").status_code == 302
    assert [e.action for e in audit_actions(cast.a, "password.")] == ["password.changed"]


def test_password_change_needs_the_current_password_and_a_strong_new_one(cast: Cast) -> None:
    http = cast.a.signed_in(clinician_of(cast.a))
    for current, new in (("wrong-password-0", NEW_PASSWORD), (PASSWORD, "12345678901")):
        response = http.post(
            "/staff/profile/",
            {"action": "password", "current_password": current, "password1": new, "password2": new},
        )
        assert response.status_code == 200
    assert user_fresh(cast.a, clinician_of(cast.a)).check_password(PASSWORD)
    assert audit_actions(cast.a, "password.") == []


def test_sign_out_of_other_sessions(cast: Cast) -> None:
    here = cast.a.signed_in(cast.a.owner)
    elsewhere = cast.a.signed_in(cast.a.owner)
    someone_else = cast.a.signed_in(clinician_of(cast.a))
    assert here.post("/staff/profile/", {"action": "sessions"}).status_code == 302
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302
    assert someone_else.get("/staff/").status_code == 200
    assert [e.detail for e in audit_actions(cast.a, "sessions.ended")] == [{"count": 1}]
