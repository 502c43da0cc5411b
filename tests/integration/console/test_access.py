"""Who reaches the console: only an active operator who passed TOTP 2FA in this session.

Every console page is walked for the anonymous visitor, the operator who has only typed a
password, and practice staff; each case also asserts that nothing changed.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import User, UserKind
from shared_apps.console import throttle
from shared_apps.console.urls import SIGN_IN_ROUTES, console_patterns
from shared_apps.tenancy.models import Domain, Practice, PracticeEvent
from tests.cast import PASSWORD, Cast
from tests.support.console import (
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
    platform,
    totp_code,
)

pytestmark = pytest.mark.django_db

# The console's pages: what `console_patterns` mounts at `/console/`.
urlpatterns = [
    page
    for mount in console_patterns
    if isinstance(mount, URLResolver)
    for page in mount.url_patterns
]

GUARDED_ROUTES = sorted(
    pattern.name
    for pattern in urlpatterns
    if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SIGN_IN_ROUTES
)


def _url(route: str, cast: Cast) -> str:
    pattern = next(p for p in urlpatterns if isinstance(p, URLPattern) and p.name == route)
    kwargs = (
        {"practice_uuid": cast.a.practice.uuid} if "practice_uuid" in str(pattern.pattern) else {}
    )
    return reverse(f"console:{route}", urlconf=settings.PUBLIC_SCHEMA_URLCONF, kwargs=kwargs)


def _state(cast: Cast) -> tuple[object, ...]:
    """What a console action could change about practices, as one comparable value."""
    return (
        sorted(Practice.objects.values_list("uuid", "status", "name")),
        sorted(Domain.objects.values_list("domain", "is_primary", "retired_at")),
        PracticeEvent.objects.count(),
    )


def _form_data(route: str, cast: Cast) -> dict[str, str]:
    """A valid submission for every form, so a leak would really act."""
    return {
        "name": "Sneaky Practice",
        "subdomain": "sneaky-practice",
        "owner_email": "owner@sneaky.example.com",
        "time_zone": "UTC",
        "confirm_subdomain": "a",
    }


def test_every_console_route_is_guarded_or_a_sign_in_step() -> None:
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        guarded = getattr(pattern.callback, "console_guarded", False)
        assert guarded or pattern.name in SIGN_IN_ROUTES, pattern.name
    assert len(GUARDED_ROUTES) >= 8


@pytest.mark.parametrize("route", GUARDED_ROUTES)
def test_anonymous_visitor_is_sent_to_sign_in(cast: Cast, route: str) -> None:
    before = _state(cast)
    for method in ("get", "post"):
        response = getattr(platform(), method)(_url(route, cast), _form_data(route, cast))
        assert response.status_code == 302, method
        assert response["Location"].startswith("/console/sign-in/?next="), method
    assert _state(cast) == before


@pytest.mark.parametrize("route", GUARDED_ROUTES)
def test_operator_without_2fa_is_sent_to_the_2fa_step(
    cast: Cast, unverified: Client, route: str
) -> None:
    before = _state(cast)
    for method in ("get", "post"):
        response = getattr(unverified, method)(_url(route, cast), _form_data(route, cast))
        assert response.status_code == 302, method
        assert response["Location"].startswith("/console/two-factor/?next="), method
    assert _state(cast) == before


@pytest.mark.parametrize("route", GUARDED_ROUTES)
def test_practice_staff_session_has_no_standing_on_the_console(cast: Cast, route: str) -> None:
    on_a = cast.a.signed_in(cast.a.owner)
    on_platform = platform()
    cookie = on_a.cookies[settings.SESSION_COOKIE_NAME].value
    on_platform.cookies[settings.SESSION_COOKIE_NAME] = cookie
    before = _state(cast)
    response = on_platform.post(_url(route, cast), _form_data(route, cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/console/sign-in/")
    assert _state(cast) == before


def test_console_is_not_routed_on_a_practice_host(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    for path in ("/console/", "/console/sign-in/", "/console/health/"):
        response = owner.get(path)
        assert response.status_code == 404, path
        assert b"Portico console" not in response.content


def test_practice_staff_credentials_do_not_sign_in_to_the_console(cast: Cast) -> None:
    http = platform()
    response = http.post(
        "/console/sign-in/", {"username": cast.a.owner.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert b"do not match an operator account" in response.content
    assert "_auth_user_id" not in http.session


def test_a_public_account_that_is_not_an_operator_cannot_sign_in(cast: Cast) -> None:
    # Such an account should never exist in `public`; if it did, the console still refuses it.
    User.objects.create_user("stray@platform.example.com", PASSWORD, kind=UserKind.CLIENT)
    http = platform()
    response = http.post(
        "/console/sign-in/", {"username": "stray@platform.example.com", "password": PASSWORD}
    )
    assert b"do not match an operator account" in response.content
    assert "_auth_user_id" not in http.session


def test_first_sign_in_enrols_an_authenticator_then_opens_the_console(
    cast: Cast, operator: User
) -> None:
    http = platform()
    response = http.post(
        "/console/sign-in/?next=/console/health/",
        {"username": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD, "next": "/console/health/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/two-factor/?next=%2Fconsole%2Fhealth%2F"

    setup = http.get(response["Location"])
    assert setup.status_code == 200
    assert b"Set up your authenticator app" in setup.content
    assert b'src="data:image/svg+xml;base64,' in setup.content
    device = TOTPDevice.objects.get(user=operator)
    assert not device.confirmed
    assert b"otpauth://totp/Portico%20localhost:ops%40platform.example.com?secret=" in (
        setup.content
    )
    # Reloading shows the same key, not a new device.
    assert http.get(response["Location"]).content.count(b"otpauth://") == 2
    assert TOTPDevice.objects.filter(user=operator).count() == 1

    wrong = http.post("/console/two-factor/", {"code": "000000", "next": "/console/health/"})
    assert b"That code is not right" in wrong.content
    assert http.get("/console/").status_code == 302

    key_before = http.session.session_key
    # django-otp throttles after a wrong code (1 s, then doubling): the right one comes later.
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        done = http.post(
            "/console/two-factor/", {"code": totp_code(device), "next": "/console/health/"}
        )
    assert done.status_code == 302
    assert done["Location"] == "/console/health/"
    device.refresh_from_db()
    assert device.confirmed
    assert http.session.session_key != key_before
    assert http.get("/console/").status_code == 200
    assert http.get("/console/health/").status_code == 200


def test_enrolled_operator_signs_in_with_a_code(
    cast: Cast, operator: User, totp_device: TOTPDevice
) -> None:
    http = platform()
    http.post("/console/sign-in/", {"username": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD})
    page = http.get("/console/two-factor/")
    assert b"Enter your code" in page.content
    assert b"otpauth://" not in page.content
    code = totp_code(totp_device)
    response = http.post("/console/two-factor/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert http.session[DEVICE_ID_SESSION_KEY] == totp_device.persistent_id
    # The same code is not accepted twice (a replayed code is useless).
    again = platform()
    again.post("/console/sign-in/", {"username": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD})
    replay = again.post("/console/two-factor/", {"code": code})
    assert b"That code is not right" in replay.content


def test_an_unconfirmed_device_does_not_pass_2fa(cast: Cast, operator: User) -> None:
    device = TOTPDevice.objects.create(user=operator, name="half set up", confirmed=False)
    http = platform()
    http.force_login(operator)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert http.get("/console/")["Location"].startswith("/console/two-factor/")


def test_deactivated_operator_loses_the_console(
    cast: Cast, console: Client, operator: User
) -> None:
    assert console.get("/console/").status_code == 200
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert console.get("/console/")["Location"].startswith("/console/sign-in/")


def test_next_never_leaves_the_console(cast: Cast, operator: User) -> None:
    http = platform()
    response = http.post(
        "/console/sign-in/",
        {
            "username": OPERATOR_EMAIL,
            "password": OPERATOR_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    target = parse_qs(urlsplit(response["Location"]).query)["next"]
    assert target == ["/console/"]


def test_password_guessing_is_throttled_per_account(cast: Cast, operator: User) -> None:
    http = platform()
    for _ in range(throttle.MAX_FAILURES):
        http.post("/console/sign-in/", {"username": OPERATOR_EMAIL, "password": "wrong-guess"})
    blocked = http.post(
        "/console/sign-in/", {"username": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD}
    )
    assert b"Too many failed attempts" in blocked.content
    assert "_auth_user_id" not in http.session


def test_sign_out_ends_the_session(cast: Cast, console: Client) -> None:
    assert console.post("/console/sign-out/").status_code == 302
    assert console.get("/console/")["Location"].startswith("/console/sign-in/")
