"""Messaging pages: the staff inbox and conversation, the client's Messages page, the polled
fragments (new messages, unread badge) and the idle timeout."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as Browser
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.models import Conversation, Message
from tenant_apps.messaging.services import message_send
from tenant_apps.practice_settings.models import DEFAULT_CRISIS_NOTICE
from tenant_apps.practice_settings.services import portal_settings_update
from tests.cast import Cast

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _send(cast: Cast, *, sender: User, client: Client, body: str) -> Message:
    with cast.a.schema():
        return message_send(actor=sender, client=client, body=body)


def _client_browser(cast: Cast, client: Client) -> Browser:
    assert client.account is not None
    return cast.a.signed_in(client.account)


def test_staff_send_from_the_conversation_page(cast: Cast, mara: Client) -> None:
    clinician = cast.a.signed_in(cast.a.clinician)  # type: ignore[arg-type]
    page = clinician.get(f"/staff/clients/{mara.pk}/messages/")
    assert page.status_code == 200
    assert b"No messages yet." in page.content
    response = clinician.post(f"/staff/clients/{mara.pk}/messages/", {"body": "  See you soon "})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/clients/{mara.pk}/messages/"
    shown = clinician.get(response["Location"])
    assert b"See you soon" in shown.content
    assert b'id="message-poller"' in shown.content
    with cast.a.schema():
        assert list(Message.objects.values_list("body", "sender_id")) == [
            ("See you soon", cast.a.clinician.pk)  # type: ignore[union-attr]
        ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", b"Write a message before sending."),
        ("x" * 10_001, b"A message can be at most 10,000 characters; this one has 10,001."),
    ],
)
def test_a_refused_message_is_explained_and_nothing_is_written(
    cast: Cast, mara: Client, body: str, error: bytes
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    response = owner.post(f"/staff/clients/{mara.pk}/messages/", {"body": body})
    assert response.status_code == 400
    assert error in response.content
    with cast.a.schema():
        assert not Message.objects.exists()


def test_the_client_page_shows_the_crisis_notice_above_the_composer(
    cast: Cast, mara: Client
) -> None:
    browser = _client_browser(cast, mara)
    page = browser.get("/messages/")
    assert page.status_code == 200
    content = page.content.decode()
    assert escape(DEFAULT_CRISIS_NOTICE) in content
    assert content.index('id="crisis-notice"') < content.index('id="composer"')
    with cast.a.schema():
        portal_settings_update(actor=cast.a.owner, crisis_notice="Call 000 in an emergency.")
    assert b"Call 000 in an emergency." in browser.get("/messages/").content
    with cast.a.schema():
        portal_settings_update(actor=cast.a.owner, crisis_notice="   ")
    assert escape(DEFAULT_CRISIS_NOTICE).encode() in browser.get("/messages/").content


def test_the_client_sends_and_a_closed_conversation_refuses_them(cast: Cast, mara: Client) -> None:
    browser = _client_browser(cast, mara)
    assert browser.post("/messages/", {"body": "Hello there"}).status_code == 302
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.post(f"/staff/clients/{mara.pk}/messages/close/").status_code == 302
    page = browser.get("/messages/")
    assert b"has been closed by the practice" in page.content
    assert b'id="composer"' not in page.content
    refused = browser.post("/messages/", {"body": "Are you there?"})
    assert refused.status_code == 400
    assert b"This conversation has been closed by the practice" in refused.content
    with cast.a.schema():
        assert list(Message.objects.values_list("body", flat=True)) == ["Hello there"]


def test_messages_page_is_404_without_secure_messaging_and_nav_hides_the_tab(
    cast: Cast, mara: Client
) -> None:
    browser = _client_browser(cast, mara)
    assert b'href="/messages/"' in browser.get("/").content
    with cast.a.schema():
        PortalAccess.objects.filter(client=mara).update(secure_messaging=False)
    for path in ("/messages/", "/messages/poll/?after=0", "/messages/unread/"):
        assert browser.get(path).status_code == 404, path
    assert b'href="/messages/"' not in browser.get("/").content


def test_the_client_sees_the_unread_badge_and_new_messages_by_polling(
    cast: Cast, mara: Client
) -> None:
    browser = _client_browser(cast, mara)
    assert browser.get("/messages/unread/", headers=HX).content.count(b"messages-count") == 0
    first = _send(cast, sender=cast.a.owner, client=mara, body="First")
    badge = browser.get("/messages/unread/", headers=HX)
    assert b'data-testid="messages-unread">1<' in badge.content
    page = browser.get("/messages/")
    assert b"First" in page.content
    assert browser.get("/messages/unread/", headers=HX).content.count(b"messages-count") == 0
    # Nothing new: 204, the page is left as it is.
    assert browser.get(f"/messages/poll/?after={first.pk}", headers=HX).status_code == 204
    second = _send(cast, sender=cast.a.clinician, client=mara, body="Second")  # type: ignore[arg-type]
    polled = browser.get(f"/messages/poll/?after={first.pk}", headers=HX)
    assert polled.status_code == 200
    assert b"Second" in polled.content
    assert b"First" not in polled.content
    assert f"?after={second.pk}".encode() in polled.content
    assert browser.get("/messages/unread/", headers=HX).content.count(b"messages-count") == 0


def test_the_staff_conversation_poll_shows_the_reply_and_audits_it(
    cast: Cast, mara: Client
) -> None:
    mine = _send(cast, sender=cast.a.owner, client=mara, body="Question")
    owner = cast.a.signed_in(cast.a.owner)
    url = f"/staff/clients/{mara.pk}/messages/poll/?after={mine.pk}"
    with cast.a.schema():
        audited = AuditEntry.objects.filter(action="conversation.viewed").count()
    assert owner.get(url, headers=HX).status_code == 204
    _send(cast, sender=mara.account, client=mara, body="Answer")  # type: ignore[arg-type]
    polled = owner.get(url, headers=HX)
    assert b"Answer" in polled.content
    with cast.a.schema():
        entry = AuditEntry.objects.filter(action="conversation.viewed").latest("pk")
        assert AuditEntry.objects.filter(action="conversation.viewed").count() == audited + 1
        conversation = Conversation.objects.get(client=mara)
    assert entry.detail == {"conversation": conversation.pk, "shown": 1, "poll": True}


def test_the_inbox_lists_unread_first_and_its_poll_answers_only_news(
    cast: Cast, mara: Client, otto: Client
) -> None:
    _send(cast, sender=cast.a.owner, client=otto, body="To Otto")
    latest = _send(cast, sender=mara.account, client=mara, body="From Mara")  # type: ignore[arg-type]
    owner = cast.a.signed_in(cast.a.owner)
    page = owner.get("/staff/messages/").content.decode()
    assert page.index("Mara Messenger") < page.index("Otto Otherclient")
    assert owner.get(f"/staff/messages/list/?seen={latest.pk}", headers=HX).status_code == 204
    newer = _send(cast, sender=otto.account, client=otto, body="Otto again")  # type: ignore[arg-type]
    polled = owner.get(f"/staff/messages/list/?seen={latest.pk}", headers=HX)
    assert polled.status_code == 200
    assert f"seen={newer.pk}".encode() in polled.content
    # The clinician's inbox holds only their own client; the owner's badge counts both.
    clinician_page = cast.a.signed_in(cast.a.clinician).get("/staff/messages/")  # type: ignore[arg-type]
    assert b"Mara Messenger" in clinician_page.content
    assert b"Otto Otherclient" not in clinician_page.content
    assert (
        b'data-testid="messages-unread">2<'
        in owner.get("/staff/messages/unread/", headers=HX).content
    )


def test_an_empty_inbox_says_so(cast: Cast) -> None:
    page = cast.a.signed_in(cast.a.owner).get("/staff/messages/")
    assert page.status_code == 200
    assert b"No conversations yet." in page.content


def test_admin_staff_see_messages_only_when_allowed(
    cast: Cast, mara: Client, admin_a: User
) -> None:
    _send(cast, sender=mara.account, client=mara, body="Private")  # type: ignore[arg-type]
    admin = cast.a.signed_in(admin_a)
    assert admin.get("/staff/messages/").status_code == 403
    assert admin.get(f"/staff/clients/{mara.pk}/messages/").status_code == 404
    assert b"Messages</a>" not in admin.get(f"/staff/clients/{mara.pk}/").content
    with cast.a.schema():
        portal_settings_update(actor=cast.a.owner, admin_staff_read_messages=True)
    assert b"Private" in admin.get(f"/staff/clients/{mara.pk}/messages/").content


def test_a_signed_out_poll_is_sent_to_sign_in_as_a_whole_page(cast: Cast, mara: Client) -> None:
    for path in (f"/staff/clients/{mara.pk}/messages/poll/", "/messages/unread/"):
        response = cast.a.http().get(path, headers=HX)
        assert response.status_code == 401
        assert response["HX-Redirect"] == "/sign-in/"


def test_polling_never_extends_the_idle_deadline(cast: Cast, mara: Client) -> None:
    """An open Messages page polls every few seconds; the session still ends after the idle
    timeout, and the polls never save it."""
    browser = _client_browser(cast, mara)
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    timeout = timedelta(seconds=settings.PORTICO_IDLE_TIMEOUT_SECONDS)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert browser.get("/messages/").status_code == 200  # activity: the clock starts
        with cast.a.schema():
            stored = Session.objects.get(session_key=key).session_data
        steps = int(timeout / timedelta(minutes=1)) - 1
        for _ in range(steps):
            traveller.shift(timedelta(minutes=1))
            assert browser.get("/messages/poll/?after=0", headers=HX).status_code == 204
            assert browser.get("/messages/unread/", headers=HX).status_code == 200
        with cast.a.schema():
            assert Session.objects.get(session_key=key).session_data == stored
        traveller.shift(timedelta(minutes=1))
        expired = browser.get("/messages/unread/", headers=HX)
        assert expired.status_code == 401
        assert expired["HX-Redirect"].startswith("/sign-in/")
        with cast.a.schema():
            assert not Session.objects.filter(session_key=key).exists()


def test_staff_pages_carry_the_messages_badge_which_loads_its_count(
    cast: Cast, mara: Client, admin_a: User
) -> None:
    page = cast.a.signed_in(cast.a.owner).get("/staff/clients/").content.decode()
    assert 'hx-get="/staff/messages/unread/" hx-trigger="load, every 5s"' in page
    assert '<a href="/staff/messages/">Messages</a>' in page
    # Admin staff without the permission get no badge at all.
    assert (
        "/staff/messages/" not in cast.a.signed_in(admin_a).get("/staff/clients/").content.decode()
    )
