"""The idle timeout (tenant_apps/accounts/idle.py): activity extends the deadline, passive htmx
polls do not (and never save the session), and an idle-expired request signs the person out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.utils import timezone

from tenant_apps.accounts.idle import LAST_ACTIVITY_SESSION_KEY
from tenant_apps.audit.models import AuditEntry
from tests.cast import Cast

pytestmark = pytest.mark.django_db

BELL = "/staff/notifications/bell/"
MINUTE = timedelta(minutes=1)


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    # Start at the real present: sessions made here expire by Django's clock too.
    with time_machine.travel(timezone.now(), tick=False) as coordinates:
        yield coordinates


def _session_row(cast: Cast, http: HttpClient) -> tuple[str, object] | None:
    key = http.cookies[settings.SESSION_COOKIE_NAME].value
    with cast.a.schema():
        row = Session.objects.filter(session_key=key).first()
        return None if row is None else (row.session_data, row.expire_date)


def _idle_signouts(cast: Cast) -> int:
    with cast.a.schema():
        return AuditEntry.objects.filter(action="signout", detail={"reason": "idle"}).count()


def test_default_is_thirty_minutes() -> None:
    assert settings.PORTICO_IDLE_TIMEOUT_SECONDS == 30 * 60


def test_activity_extends_the_deadline(cast: Cast, traveller: time_machine.Traveller) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get("/staff/").status_code == 200
    traveller.shift(20 * MINUTE)
    assert owner.get("/staff/").status_code == 200
    traveller.shift(25 * MINUTE)  # 45 minutes after sign-in, 25 after the last activity
    assert owner.get("/staff/").status_code == 200
    traveller.shift(29 * MINUTE)
    assert owner.get("/staff/clients/").status_code == 200
    assert _idle_signouts(cast) == 0
    traveller.shift(30 * MINUTE)
    response = owner.get("/staff/clients/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/staff/clients/%3Fpage%3D2"
    assert _session_row(cast, owner) is None
    assert _idle_signouts(cast) == 1
    sign_in = owner.get(response["Location"])
    assert b"You were signed out after 30 minutes without activity." in sign_in.content
    assert owner.get("/staff/").status_code == 302


def test_passive_polls_do_not_extend_the_deadline_nor_save_the_session(
    cast: Cast, traveller: time_machine.Traveller
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get("/staff/").status_code == 200
    stored = _session_row(cast, owner)
    assert stored is not None
    for _ in range(29):
        traveller.shift(MINUTE)
        response = owner.get(BELL, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert b"Notifications" in response.content
    assert _session_row(cast, owner) == stored  # neither the timestamp nor the expiry moved
    traveller.shift(MINUTE)  # 30 minutes after the last activity
    response = owner.get(
        BELL, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://a.localhost/staff/clients/"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/sign-in/?next=/staff/clients/"
    assert _session_row(cast, owner) is None
    assert _idle_signouts(cast) == 1
    assert owner.get("/staff/").status_code == 302


def test_a_poll_after_sign_out_sends_the_page_to_sign_in(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.post("/sign-out/").status_code == 302
    response = owner.get(
        BELL, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/staff/"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/sign-in/"
    assert b"Notifications" not in response.content


def test_expiry_applies_to_clients_and_answers_the_api_with_401(
    cast: Cast, traveller: time_machine.Traveller
) -> None:
    client = cast.a.signed_in(cast.a.client_user)
    assert b"Welcome back" in client.get("/").content
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get("/api/v1/me/").status_code == 200
    traveller.shift(30 * MINUTE)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"
    api = owner.get("/api/v1/me/")
    assert api.status_code == 401
    assert api.json() == {"detail": "You were signed out after 30 minutes without activity."}
    assert _idle_signouts(cast) == 2


def test_a_session_without_a_timestamp_starts_its_clock(
    cast: Cast, traveller: time_machine.Traveller
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get(BELL).status_code == 200  # even a poll stamps a session that has no clock
    key = owner.cookies[settings.SESSION_COOKIE_NAME].value
    with cast.a.schema():
        assert LAST_ACTIVITY_SESSION_KEY in Session.objects.get(session_key=key).get_decoded()
    traveller.shift(30 * MINUTE)
    assert owner.get(BELL).status_code == 302


def test_the_sign_in_page_just_shows_signed_out(
    cast: Cast, traveller: time_machine.Traveller
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get("/staff/").status_code == 200
    traveller.shift(31 * MINUTE)
    response = owner.get("/sign-in/")
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert _session_row(cast, owner) is None


def test_activity_writes_the_session_at_most_once_a_minute(
    cast: Cast, traveller: time_machine.Traveller
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.get("/staff/").status_code == 200
    stored = _session_row(cast, owner)
    traveller.shift(timedelta(seconds=59))
    assert owner.get("/staff/").status_code == 200
    assert _session_row(cast, owner) == stored
    traveller.shift(timedelta(seconds=1))
    assert owner.get("/staff/").status_code == 200
    assert _session_row(cast, owner) != stored
