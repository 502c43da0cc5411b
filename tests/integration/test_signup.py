"""A practice signs itself up on the platform host and lands in its own portal, signed in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from provisioning.services import pool_refill
from shared_apps.accounts.models import User
from shared_apps.tenancy.models import Practice
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.notifications.relay import outbox_relay_practice
from tests.support.hostile_input import TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db

FORM = {
    "practice_name": "  Calm   Minds Therapy ",
    "subdomain": "Calm-Minds",
    "first_name": "Nia",
    "last_name": "Newowner",
    "email": "Nia@CalmMinds.example.com",
    "password": "a-sturdy-passphrase-42",
}


def _sign_up(**changes: str) -> tuple[Client, Any]:
    platform = Client(HTTP_HOST="localhost")
    return platform, platform.post("/signup/", {**FORM, **changes})


def test_sign_up_lands_the_owner_signed_in_on_the_new_portal() -> None:
    pool_refill(target=1)
    _platform, response = _sign_up()
    assert response.status_code == 302
    handoff = response["Location"]
    assert re.fullmatch(r"http://calm-minds\.localhost/staff/welcome/[\w-]{40,}/", handoff)

    portal = Client(HTTP_HOST="calm-minds.localhost")
    landed = portal.get(handoff.removeprefix("http://calm-minds.localhost"), follow=True)
    assert landed.redirect_chain == [("/staff/", 302)]
    assert landed.status_code == 200
    assert b"Calm Minds Therapy" in landed.content
    assert b"Your portal is ready" in landed.content

    practice = Practice.objects.get(domains__domain="calm-minds.localhost")
    assert practice.name == "Calm Minds Therapy"
    with schema_context(practice.schema_name):
        owner = User.objects.get()
        assert owner.email == "nia@calmminds.example.com"
        assert owner.role == "owner"
        assert owner.check_password("a-sturdy-passphrase-42")


def test_the_sign_in_link_works_once(caplog: pytest.LogCaptureFixture) -> None:
    pool_refill(target=1)
    _platform, response = _sign_up()
    path = response["Location"].removeprefix("http://calm-minds.localhost")
    Client(HTTP_HOST="calm-minds.localhost").get(path)
    replay = Client(HTTP_HOST="calm-minds.localhost").get(path)
    assert replay.status_code == 404
    assert b"This link no longer works" in replay.content
    assert replay["Referrer-Policy"] == "no-referrer"
    token = path.split("/")[-2]
    assert all(token not in record.getMessage() for record in caplog.records)


def test_the_owner_gets_a_confirmation_email_whose_link_confirms() -> None:
    pool_refill(target=1)
    _sign_up()
    practice = Practice.objects.get(domains__domain="calm-minds.localhost")
    with schema_context(practice.schema_name):
        queued = OutboundEmail.objects.get(kind="owner_email_confirmation")
        assert queued.to_email == "nia@calmminds.example.com"
        assert outbox_relay_practice(limit=10) == 1
    [email] = mail.outbox
    assert "Calm Minds Therapy" in email.subject
    [link] = re.findall(
        r"http://calm-minds\.localhost(/staff/confirm-email/[\w-]+/)", str(email.body)
    )

    confirmed = Client(HTTP_HOST="calm-minds.localhost").get(link)
    assert confirmed.status_code == 302
    with schema_context(practice.schema_name):
        assert User.objects.get().email_confirmed_at is not None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subdomain": "www"}, "subdomain", "“www” is reserved"),
        ({"subdomain": "x"}, "subdomain", "between 3 and 40 characters"),
        ({"password": "password123"}, "password", "too common"),
        ({"password": "short"}, "password", "too short"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"practice_name": "   "}, "practice_name", "This field is required"),
        ({"email": TOO_LONG_EMAIL}, "email", "at most 254 characters (it has 264)"),
        # The Kelvin sign (U+212A) lower-cases to an ASCII "k".
        ({"subdomain": "\u212aalm-minds"}, "subdomain", "only lowercase letters"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(
    changes: dict[str, str], field: str, message: str
) -> None:
    pool_refill(target=1)
    before = list(Practice.objects.values_list("pk", "status"))
    _platform, response = _sign_up(**changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert list(Practice.objects.values_list("pk", "status")) == before


def test_a_taken_subdomain_is_refused(cast: object) -> None:
    _sign_up()
    _platform, response = _sign_up(email="someone.else@example.com")
    assert "“calm-minds” is already taken" in " ".join(response.context["form"].errors["subdomain"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("calm-minds", "✓ calm-minds is available."),
        ("WWW", "“www” is reserved"),
        ("a_b", "only lowercase letters"),
        ("\u212aalm-minds", "only lowercase letters"),
        ("", ""),
    ],
)
def test_live_subdomain_check(typed: str, expected: str) -> None:
    response = Client(HTTP_HOST="localhost").get("/signup/subdomain-check/", {"subdomain": typed})
    assert response.status_code == 200
    assert expected in response.content.decode()
