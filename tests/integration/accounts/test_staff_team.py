"""The owner's team page: invite a clinician or admin, who joins with a single-use link; owners
deactivate staff, whose sessions end at once. Roles are checked on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from shared_apps.accounts.models import AccountToken, StaffRole, User
from tests.cast import PASSWORD, Cast
from tests.support.accounts import (
    audit_actions,
    clinician_of,
    link_token,
    outbox,
    user_make,
)
from tests.support.hostile_input import TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db

INVITEE = "new.clinician@example.com"
JOIN = {
    "first_name": "Nova",
    "last_name": "Newstaff",
    "password1": "joining-passphrase-55",
    "password2": "joining-passphrase-55",
}


def _invite(cast: Cast, email: str = INVITEE, role: str = "clinician") -> str:
    owner = cast.a.signed_in(cast.a.owner)
    response = owner.post("/staff/team/", {"email": email, "role": role})
    assert response.status_code == 302, response.content
    return link_token(outbox(cast.a, "staff_invitation")[-1], "staff/join")


def _join(http: Client, token: str) -> None:
    opened = http.get(f"/staff/join/{token}/")
    assert opened.status_code == 302
    assert opened["Location"] == "/staff/join/"
    assert opened["Referrer-Policy"] == "no-referrer"
    page = http.get("/staff/join/")
    assert page.status_code == 200
    assert INVITEE.encode() in page.content
    assert token.encode() not in page.content
    done = http.post("/staff/join/", JOIN)
    assert done.status_code == 302, done.content
    assert done["Location"] == "/staff/"


def test_owner_invites_a_clinician_who_joins_and_is_signed_in(cast: Cast) -> None:
    token = _invite(cast)
    [email] = outbox(cast.a, "staff_invitation")
    assert email.to_email == INVITEE
    assert cast.a.owner.first_name in email.body_text
    with cast.a.schema():
        assert token not in str(list(AccountToken.objects.values()))
    http = cast.a.http()
    _join(http, token)
    assert http.get("/staff/").status_code == 200
    with cast.a.schema():
        member = User.objects.get(email=INVITEE)
    assert (member.role, member.first_name, member.email_confirmed_at is not None) == (
        "clinician",
        "Nova",
        True,
    )
    assert cast.a.http().post(
        "/sign-in/", {"username": INVITEE, "password": JOIN["password1"]}
    ).status_code == (302)
    assert [e.action for e in audit_actions(cast.a, "staff.")] == ["staff.invited", "staff.joined"]
    # Single use.
    assert cast.a.http().get(f"/staff/join/{token}/").status_code == 404


def test_an_invited_person_cannot_sign_in_before_joining(cast: Cast) -> None:
    _invite(cast)
    response = cast.a.http().post("/sign-in/", {"username": INVITEE, "password": ""})
    assert response.status_code == 200


def test_an_invitation_expires_after_seven_days(cast: Cast) -> None:
    token = _invite(cast)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        assert cast.a.http().get(f"/staff/join/{token}/").status_code == 404


def test_inviting_again_kills_the_old_link(cast: Cast) -> None:
    first = _invite(cast)
    second = _invite(cast, role="admin")
    assert cast.a.http().get(f"/staff/join/{first}/").status_code == 404
    _join(cast.a.http(), second)
    with cast.a.schema():
        assert User.objects.get(email=INVITEE).role == StaffRole.ADMIN


def test_an_address_with_an_account_cannot_be_invited(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    response = owner.post("/staff/team/", {"email": cast.a.client_user.email, "role": "admin"})
    assert response.status_code == 200
    assert b"already has an account" in response.content
    assert outbox(cast.a, "staff_invitation") == []
    owner_role = owner.post("/staff/team/", {"email": "x@example.com", "role": "owner"})
    assert owner_role.status_code == 200
    assert outbox(cast.a, "staff_invitation") == []


def test_an_email_longer_than_the_column_cannot_be_invited(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    with cast.a.schema():
        accounts_before = User.objects.count()
    response = owner.post("/staff/team/", {"email": TOO_LONG_EMAIL, "role": "clinician"})
    assert response.status_code == 200
    assert b"Ensure this value has at most 254 characters (it has 264)." in response.content
    assert outbox(cast.a, "staff_invitation") == []
    with cast.a.schema():
        assert User.objects.count() == accounts_before


def test_a_link_of_practice_a_is_404_on_practice_b(cast: Cast) -> None:
    token = _invite(cast)
    on_b = cast.b.http()
    assert on_b.get(f"/staff/join/{token}/").status_code == 404
    assert on_b.get("/staff/join/").status_code == 404
    with cast.b.schema():
        assert not User.objects.filter(email=INVITEE).exists()


def test_owner_deactivates_a_clinician_whose_sessions_end_at_once(cast: Cast) -> None:
    clinician_browser = cast.a.signed_in(clinician_of(cast.a))
    assert clinician_browser.get("/staff/").status_code == 200
    owner = cast.a.signed_in(cast.a.owner)
    team = owner.get("/staff/team/")
    assert clinician_of(cast.a).email.encode() in team.content
    response = owner.post(f"/staff/team/{clinician_of(cast.a).pk}/deactivate/")
    assert response.status_code == 302
    assert clinician_browser.get("/staff/").status_code == 302
    signed_in = cast.a.http().post(
        "/sign-in/", {"username": clinician_of(cast.a).email, "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    [entry] = audit_actions(cast.a, "staff.deactivated")
    assert (entry.actor_id, entry.object_id) == (cast.a.owner.pk, str(clinician_of(cast.a).pk))


def test_owners_and_clients_cannot_be_deactivated_here(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.post(f"/staff/team/{cast.a.owner.pk}/deactivate/").status_code == 302
    assert owner.post(f"/staff/team/{cast.a.client_user.pk}/deactivate/").status_code == 404
    assert owner.post("/staff/team/999999/deactivate/").status_code == 404
    with cast.a.schema():
        assert User.objects.filter(is_active=False).count() == 0
    assert audit_actions(cast.a, "staff.") == []


@pytest.mark.parametrize(
    ("path", "method", "allowed", "answer"),
    [
        ("/staff/profile/", "get", {"owner", "clinician", "admin"}, 200),
        ("/staff/team/", "get", {"owner"}, 200),
        ("/staff/team/", "post", {"owner"}, 200),  # an empty invitation: the form again
        ("/staff/team/{clinician}/deactivate/", "post", {"owner"}, 302),
    ],
)
def test_role_matrix(cast: Cast, path: str, method: str, allowed: set[str], answer: int) -> None:
    admin = user_make(cast.a, "admin@a.example.com", PASSWORD, role=StaffRole.ADMIN)
    url = path.format(clinician=clinician_of(cast.a).pk)
    anonymous = getattr(cast.a.http(), method)(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/")
    people = {
        "client": cast.a.client_user,
        "admin": admin,
        "clinician": clinician_of(cast.a),
        "owner": cast.a.owner,
    }
    for name, person in people.items():
        response = getattr(cast.a.signed_in(person), method)(url, {})
        expected = answer if name in allowed else 403
        assert response.status_code == expected, (name, response.status_code)
    with cast.a.schema():
        assert User.objects.filter(is_active=False).count() == (1 if "deactivate" in url else 0)
    assert outbox(cast.a, "staff_invitation") == []
