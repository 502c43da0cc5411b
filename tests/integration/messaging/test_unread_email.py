"""The unread message email, with time travel: one email when a message stays unread for the
practice's delay and email is allowed; none when it is read first or email is not allowed; the
same for staff with their own switch. Never the message text nor who sent it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.utils import timezone

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.services import message_send, staff_messaging_preference_set
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
from tenant_apps.notifications.relay import outbox_relay_practice
from tenant_apps.practice_settings.services import portal_settings_update
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast
from tests.support.messaging import CANARY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_a")]

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=False) as coordinates:
        yield coordinates


def _relay(cast: Cast) -> int:
    # In A's schema again: a page request through the test client ends in `public`.
    with cast.a.schema():
        return outbox_relay_practice(limit=100)


def _assert_no_phi(mail: list[EmailMessage], *names: str) -> None:
    """No message text in any outbox row, audit entry or notification; no text and no names in
    any email sent."""
    for row in OutboundEmail.objects.values():
        assert CANARY not in str(row)
    for entry in AuditEntry.objects.values("detail", "object_id"):
        assert CANARY not in str(entry)
    for notification in StaffNotification.objects.values():
        assert CANARY not in str(notification)
    for sent in mail:
        for text in (sent.subject, sent.body):
            assert CANARY not in text
            for name in names:
                assert name not in text, name


def test_a_staff_message_unread_for_two_minutes_sends_the_client_one_email(
    cast: Cast,
    mara: Client,
    traveller: time_machine.Traveller,
    mailoutbox: list[EmailMessage],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clinician = cast.a.clinician
    assert clinician is not None
    message_send(actor=clinician, client=mara, body=CANARY)
    traveller.shift(30 * SECOND)
    message_send(actor=clinician, client=mara, body=f"{CANARY} (2)")  # same unread stretch
    assert OutboundEmail.objects.count() == 1

    traveller.shift(89 * SECOND)  # 1:59 after the first message
    assert _relay(cast) == 0
    traveller.shift(SECOND)
    assert _relay(cast) == 1
    traveller.shift(10 * MINUTE)
    assert _relay(cast) == 0

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["mara.messenger@example.org"]
    assert email.subject == "A secure message is waiting for you at Practice A"
    assert "A secure message is waiting for you in your client portal at Practice A." in email.body
    assert "http://a.localhost/messages/" in email.body
    row = OutboundEmail.objects.get()
    assert (row.kind, row.state, row.client_id) == (
        "message_waiting",
        OutboundEmailState.SENT,
        mara.pk,
    )
    _assert_no_phi(
        mailoutbox, clinician.first_name, clinician.last_name, mara.first_name, mara.last_name
    )
    assert caplog.records  # the relay logged its sends
    assert not [record for record in caplog.records if CANARY in record.getMessage()]


def test_read_at_one_minute_cancels_the_email(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    message_send(actor=cast.a.owner, client=mara, body=CANARY)
    traveller.shift(MINUTE)
    page = cast.a.signed_in(mara.account).get("/messages/")  # type: ignore[arg-type]
    assert page.status_code == 200
    assert CANARY.encode() in page.content
    with cast.a.schema():
        assert OutboundEmail.objects.get().state == OutboundEmailState.CANCELLED
    traveller.shift(5 * MINUTE)
    assert _relay(cast) == 0
    assert mailoutbox == []


def test_a_new_message_after_reading_starts_a_new_stretch(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    message_send(actor=cast.a.owner, client=mara, body="First")
    traveller.shift(MINUTE)
    cast.a.signed_in(mara.account).get("/messages/")  # type: ignore[arg-type]
    with cast.a.schema():
        message_send(actor=cast.a.owner, client=mara, body="Second")
    traveller.shift(2 * MINUTE)
    assert _relay(cast) == 1
    with cast.a.schema():
        assert [row.state for row in OutboundEmail.objects.order_by("pk")] == [
            OutboundEmailState.CANCELLED,
            OutboundEmailState.SENT,
        ]
    assert len(mailoutbox) == 1


def test_no_email_when_the_client_does_not_allow_email(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    PortalAccess.objects.filter(client=mara).update(allows_email=False)
    message_send(actor=cast.a.owner, client=mara, body=CANARY)
    traveller.shift(10 * MINUTE)
    assert _relay(cast) == 0
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_the_practices_delay_is_used(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    portal_settings_update(actor=cast.a.owner, unread_message_email_delay_minutes=5)
    message_send(actor=cast.a.owner, client=mara, body=CANARY)
    traveller.shift(4 * MINUTE + 59 * SECOND)
    assert _relay(cast) == 0
    traveller.shift(SECOND)
    assert _relay(cast) == 1
    assert len(mailoutbox) == 1


def test_a_client_message_unread_by_staff_emails_each_staff_participant_once(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    account = mara.account
    assert account is not None
    message_send(actor=account, client=mara, body=CANARY)
    message_send(actor=account, client=mara, body=f"{CANARY} again")
    traveller.shift(2 * MINUTE)
    assert _relay(cast) == 2
    traveller.shift(10 * MINUTE)
    assert _relay(cast) == 0
    assert sorted(email.to[0] for email in mailoutbox) == [
        "clinician@a.example.com",
        "owner@a.example.com",
    ]
    for email in mailoutbox:
        assert email.subject == "A client message is waiting at Practice A"
        assert "http://a.localhost/staff/messages/" in email.body
    assert set(OutboundEmail.objects.values_list("kind", flat=True)) == {"staff_message_waiting"}
    _assert_no_phi(mailoutbox, mara.first_name, mara.last_name, "mara.messenger@example.org")


def test_staff_reading_cancels_only_their_own_email_and_the_switch_turns_it_off(
    cast: Cast, mara: Client, traveller: time_machine.Traveller, mailoutbox: list[EmailMessage]
) -> None:
    staff_messaging_preference_set(actor=cast.a.owner, emails_unread_messages=False)
    message_send(actor=mara.account, client=mara, body=CANARY)  # type: ignore[arg-type]
    assert list(OutboundEmail.objects.values_list("to_email", flat=True)) == [
        "clinician@a.example.com"
    ]
    traveller.shift(MINUTE)
    clinician = cast.a.signed_in(cast.a.clinician)  # type: ignore[arg-type]
    assert clinician.get(f"/staff/clients/{mara.pk}/messages/").status_code == 200
    traveller.shift(5 * MINUTE)
    assert _relay(cast) == 0
    assert mailoutbox == []
    with cast.a.schema():
        assert OutboundEmail.objects.get().state == OutboundEmailState.CANCELLED
