"""The dev mailbox: sent email kept as files and listed on the platform host, in dev only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.test import Client

from shared_apps.devmailbox.mailbox import links_in
from tenant_apps.notifications.relay import outbox_relay_practice
from tenant_apps.notifications.services import email_enqueue
from tests.cast import Cast

pytestmark = pytest.mark.django_db
CONFIRM_URL = "http://a.localhost:8000/confirm/k3y/"


@pytest.fixture
def mailbox(settings: Any, tmp_path: Path) -> Path:
    """What config/settings/dev.py sets, pointed at a folder of this test's own."""
    settings.PORTICO_DEV_MAILBOX_DIR = tmp_path / "mailbox"
    settings.EMAIL_BACKEND = "shared_apps.devmailbox.backend.MailboxEmailBackend"
    return tmp_path / "mailbox"


def _platform() -> Client:
    return Client(HTTP_HOST="localhost")


def test_an_email_sent_by_the_relay_is_listed_with_its_link_clickable(
    in_practice_a: object, mailbox: Path
) -> None:
    email_enqueue(
        kind="owner_email_confirmation",
        to_email="new-owner@a.example.com",
        subject="Confirm your email",
        template_name="notifications/email/owner_email_confirmation.txt",
        context={"first_name": "Nia", "practice_name": "Practice A", "confirm_url": CONFIRM_URL},
        idempotency_key="confirm:mailbox",
    )
    assert outbox_relay_practice(limit=10) == 1

    [stored] = list(mailbox.glob("*.json"))
    data = json.loads(stored.read_text())
    assert data["to"] == ["new-owner@a.example.com"]
    assert data["subject"] == "Confirm your email"
    assert data["body"].startswith("Hello Nia,")
    assert data["links"] == [CONFIRM_URL]
    assert data["sent_at"]

    page = _platform().get("/dev/mailbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm your email" in html
    assert "new-owner@a.example.com" in html
    assert f'<a href="{CONFIRM_URL}"' in html

    one = _platform().get(f"/dev/mailbox/{data['id']}/")
    assert one.status_code == 200
    assert f'<a href="{CONFIRM_URL}"' in one.content.decode()


def test_the_list_is_newest_first_and_bodies_are_escaped(mailbox: Path) -> None:
    with time_machine.travel("2031-03-04 09:00Z", tick=False) as traveller:
        EmailMessage("Older", "first", to=["x@example.com"]).send()
        traveller.shift(60)
        EmailMessage("Newer", "<script>alert(1)</script>", to=["y@example.com"]).send()

    html = _platform().get("/dev/mailbox/").content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_mailbox_is_a_404_when_the_setting_is_none(mailbox: Path, settings: Any) -> None:
    EmailMessage("Hello", "body", to=["x@example.com"]).send()
    [stored] = list(mailbox.glob("*.json"))
    settings.PORTICO_DEV_MAILBOX_DIR = None

    assert _platform().get("/dev/mailbox/").status_code == 404
    assert _platform().get(f"/dev/mailbox/{stored.stem}/").status_code == 404


def test_the_mailbox_is_not_on_a_practice_host(cast: Cast, mailbox: Path) -> None:
    EmailMessage("Hello", "body", to=["x@example.com"]).send()
    [stored] = list(mailbox.glob("*.json"))

    assert cast.a.http().get("/dev/mailbox/").status_code == 404
    assert cast.a.http().get(f"/dev/mailbox/{stored.stem}/").status_code == 404
    assert _platform().get("/dev/mailbox/").status_code == 200


@pytest.mark.parametrize(
    "message_id", ["nope", "..", "%2e%2e%2fsecret", "20310304T090000000000Z-0"]
)
def test_an_unknown_or_malformed_message_id_is_a_404(mailbox: Path, message_id: str) -> None:
    (mailbox.parent / "secret.json").write_text("{}")
    assert _platform().get(f"/dev/mailbox/{message_id}/").status_code == 404


def test_an_empty_mailbox_says_so(mailbox: Path) -> None:
    page = _platform().get("/dev/mailbox/")
    assert page.status_code == 200
    assert b"No email yet." in page.content


def test_links_are_found_without_trailing_punctuation() -> None:
    body = "Open http://a.localhost:8000/x/. Or (https://b.example/y?z=1), not ftp://c."
    assert links_in(body) == ["http://a.localhost:8000/x/", "https://b.example/y?z=1"]
