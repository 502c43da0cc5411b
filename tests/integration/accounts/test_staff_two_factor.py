"""The owner can require TOTP for all staff: staff then set up an authenticator app at sign-in,
and a session reaches nothing until a code is accepted. Clients are unaffected."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import User
from tests.cast import PASSWORD, Cast, PracticeCast
from tests.support.accounts import audit_actions, clinician_of

pytestmark = pytest.mark.django_db


def _require(cast: Cast, required: bool = True) -> Client:
    owner = cast.a.signed_in(cast.a.owner)
    data = {"requires_staff_totp": "on"} if required else {}
    response = owner.post("/staff/team/two-factor/", data)
    assert response.status_code == 302
    return owner


def _sign_in(practice: PracticeCast, user: User) -> tuple[Client, str]:
    http = practice.http()
    response = http.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return http, response["Location"]


def _code(practice: PracticeCast, user: User) -> str:
    with practice.schema():
        device = TOTPDevice.objects.get(user_id=user.pk)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_off_by_default(cast: Cast) -> None:
    _, location = _sign_in(cast.a, clinician_of(cast.a))
    assert location == "/staff/"


def test_required_staff_enrol_then_verify_at_each_sign_in(cast: Cast) -> None:
    clinician = clinician_of(cast.a)
    _require(cast)
    http, location = _sign_in(cast.a, clinician)
    assert location == "/staff/two-factor/"
    for path in ("/staff/", "/staff/profile/", "/"):
        response = http.get(path)
        assert (response.status_code, response["Location"]) == (302, "/staff/two-factor/")
    assert http.get("/api/v1/me/").status_code == 403

    setup = http.get("/staff/two-factor/")
    assert setup.status_code == 200
    assert b"otpauth://totp/" in setup.content
    assert http.post("/staff/two-factor/", {"code": "000000"}).status_code == 200
    # django-otp makes the next try wait a moment after a failure.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        done = http.post("/staff/two-factor/", {"code": _code(cast.a, clinician)})
        assert (done.status_code, done["Location"]) == (302, "/staff/")
        assert http.get("/staff/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        again, location = _sign_in(cast.a, clinician)
        assert location == "/staff/two-factor/"
        page = again.get("/staff/two-factor/")
        assert b"otpauth://" not in page.content
        done = again.post("/staff/two-factor/", {"code": _code(cast.a, clinician)})
        assert done["Location"] == "/staff/"
        assert again.get("/staff/").status_code == 200
    actions = [e.action for e in audit_actions(cast.a, "two_factor.")]
    assert actions == ["two_factor.failed", "two_factor.enrolled", "two_factor.verified"]


def test_turning_it_on_signs_other_staff_out_and_sends_the_owner_through_the_step(
    cast: Cast,
) -> None:
    clinician_browser = cast.a.signed_in(clinician_of(cast.a))
    client_browser = cast.a.signed_in(cast.a.client_user)
    owner = _require(cast)
    assert clinician_browser.get("/staff/").status_code == 302
    assert owner.get("/staff/")["Location"] == "/staff/two-factor/"
    assert b"Welcome back" in client_browser.get("/").content
    [entry] = audit_actions(cast.a, "settings.staff_two_factor_changed")
    assert entry.detail == {"required": True}


def test_clients_are_not_asked(cast: Cast) -> None:
    _require(cast)
    _, location = _sign_in(cast.a, cast.a.client_user)
    assert location == "/"


def test_only_the_owner_sets_the_policy(cast: Cast) -> None:
    clinician = cast.a.signed_in(clinician_of(cast.a))
    response = clinician.post("/staff/team/two-factor/", {"requires_staff_totp": "on"})
    assert response.status_code == 403
    _, location = _sign_in(cast.a, clinician_of(cast.a))
    assert location == "/staff/"


def test_turning_it_off(cast: Cast) -> None:
    _require(cast)
    _require(cast, required=False)
    _, location = _sign_in(cast.a, clinician_of(cast.a))
    assert location == "/staff/"
