"""Messaging services and selectors: who takes part, what a message may be, never editing,
closing, reading, and unread counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404

from provisioning.services import practice_staff_create
from shared_apps.accounts.models import StaffRole, User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.models import MESSAGE_MAX_LENGTH, Conversation, Message
from tenant_apps.messaging.selectors import (
    CLOSED_FOR_CLIENT_MESSAGE,
    NOT_ENABLED_MESSAGE,
    access_message_client,
    access_own_conversation_client,
    staff_inbox,
    staff_participants,
    takes_part,
    unread_message_count,
)
from tenant_apps.messaging.services import (
    EMPTY_BODY_MESSAGE,
    conversation_close,
    conversation_mark_read,
    conversation_reopen,
    message_send,
)
from tenant_apps.practice_settings.services import portal_settings_update
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tests.cast import PASSWORD, Cast
from tests.support.messaging import CANARY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_a")]


def _second_clinician(cast: Cast) -> User:
    return practice_staff_create(
        practice=cast.a.practice,
        email="clinician2@a.example.com",
        password=PASSWORD,
        role=StaffRole.CLINICIAN,
        first_name="Nell",
        last_name="Notassigned",
    )


def test_participants_are_the_client_owner_and_assigned_clinician(
    cast: Cast, mara: Client, admin_a: User
) -> None:
    assert staff_participants(mara) == [cast.a.owner, cast.a.clinician]
    assert takes_part(user=mara.account, client=mara)  # type: ignore[arg-type]
    assert takes_part(user=cast.a.owner, client=mara)
    assert takes_part(user=cast.a.clinician, client=mara)  # type: ignore[arg-type]
    assert not takes_part(user=admin_a, client=mara)
    assert not takes_part(user=_second_clinician(cast), client=mara)
    assert not takes_part(user=cast.a.client_user, client=mara)


def test_admin_staff_take_part_only_when_the_owner_allows(
    cast: Cast, mara: Client, admin_a: User
) -> None:
    message_send(actor=cast.a.owner, client=mara, body="Hello")
    with pytest.raises(Http404):
        access_message_client(viewer=admin_a, client_id=mara.pk)
    with pytest.raises(PermissionDenied):
        message_send(actor=admin_a, client=mara, body="Hi from the front desk")
    assert list(staff_inbox(viewer=admin_a)) == []
    assert unread_message_count(user=admin_a) == 0

    portal_settings_update(actor=cast.a.owner, admin_staff_read_messages=True)
    assert access_message_client(viewer=admin_a, client_id=mara.pk) == mara
    assert admin_a in staff_participants(mara)
    assert unread_message_count(user=admin_a) == 1
    message_send(actor=admin_a, client=mara, body="Hi from the front desk")
    assert Message.objects.filter(sender=admin_a).count() == 1


def test_an_unassigned_clinician_cannot_read_or_send(cast: Cast, mara: Client) -> None:
    other = _second_clinician(cast)
    message_send(actor=mara.account, client=mara, body="Hello")  # type: ignore[arg-type]
    with pytest.raises(Http404):
        access_message_client(viewer=other, client_id=mara.pk)
    with pytest.raises(PermissionDenied):
        message_send(actor=other, client=mara, body="Hi")
    assert unread_message_count(user=other) == 0
    assert StaffNotification.objects.filter(recipient=other).count() == 0
    assert Message.objects.count() == 1


def test_a_client_never_reaches_another_clients_conversation(
    cast: Cast, mara: Client, otto: Client
) -> None:
    message_send(actor=cast.a.owner, client=otto, body="For Otto only")
    assert access_own_conversation_client(viewer=mara.account) == mara  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        message_send(actor=mara.account, client=otto, body="Sneaky")  # type: ignore[arg-type]
    assert unread_message_count(user=mara.account) == 0  # type: ignore[arg-type]
    assert unread_message_count(user=otto.account) == 1  # type: ignore[arg-type]
    assert Message.objects.count() == 1


def test_the_client_page_does_not_exist_without_secure_messaging(cast: Cast, mara: Client) -> None:
    PortalAccess.objects.filter(client=mara).update(secure_messaging=False)
    with pytest.raises(Http404):
        access_own_conversation_client(viewer=mara.account)  # type: ignore[arg-type]
    with pytest.raises(MessagingError) as refused:
        message_send(actor=cast.a.owner, client=mara, body="Hello")
    assert refused.value.message == NOT_ENABLED_MESSAGE
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_an_empty_message_is_refused(cast: Cast, mara: Client, body: str) -> None:
    with pytest.raises(MessagingError) as refused:
        message_send(actor=cast.a.owner, client=mara, body=body)
    assert (refused.value.message, refused.value.field) == (EMPTY_BODY_MESSAGE, "body")
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_and_the_longest_allowed_is_kept(
    cast: Cast, mara: Client
) -> None:
    with pytest.raises(MessagingError) as refused:
        message_send(actor=cast.a.owner, client=mara, body="x" * (MESSAGE_MAX_LENGTH + 1))
    assert refused.value.message == (
        "A message can be at most 10,000 characters; this one has 10,001. "
        "Shorten it or send it in parts."
    )
    message = message_send(actor=cast.a.owner, client=mara, body=f"  {'y' * MESSAGE_MAX_LENGTH} ")
    assert message.body == "y" * MESSAGE_MAX_LENGTH


def test_sending_writes_message_conversation_read_state_audit_and_notifications(
    cast: Cast, mara: Client
) -> None:
    message = message_send(actor=mara.account, client=mara, body=f"  {CANARY}\n")  # type: ignore[arg-type]
    conversation = Conversation.objects.get(client=mara)
    assert (message.body, message.sent_by_staff, message.conversation) == (
        CANARY,
        False,
        conversation,
    )
    assert (conversation.last_message_id, conversation.last_message_at) == (
        message.pk,
        message.sent_at,
    )
    entry = AuditEntry.objects.get(action="message.sent")
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.detail) == (
        mara.account_id,
        "message",
        str(message.pk),
        {"client": mara.pk, "conversation": conversation.pk, "attachments": 0},
    )
    notifications = StaffNotification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.client, n.link) for n in notifications] == [
        (
            user,
            StaffNotificationKind.NEW_MESSAGE,
            mara,
            f"/staff/clients/{mara.pk}/messages/",
        )
        for user in (cast.a.owner, cast.a.clinician)
    ]
    # The sender has read their own message; the staff have not.
    assert unread_message_count(user=mara.account) == 0  # type: ignore[arg-type]
    assert unread_message_count(user=cast.a.owner) == 1
    # A second message of the same unread stretch notifies nobody again.
    message_send(actor=mara.account, client=mara, body="Also")  # type: ignore[arg-type]
    assert StaffNotification.objects.count() == 2
    assert unread_message_count(user=cast.a.clinician) == 2  # type: ignore[arg-type]


def test_messages_are_never_edited(cast: Cast, mara: Client) -> None:
    message = message_send(actor=cast.a.owner, client=mara, body="Original")
    with pytest.raises(DatabaseError, match="Messages are never edited"), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(body="Changed")
    assert Message.objects.get(pk=message.pk).body == "Original"


def test_a_closed_conversation_refuses_messages_until_reopened(cast: Cast, mara: Client) -> None:
    message_send(actor=cast.a.clinician, client=mara, body="Last note")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        conversation_close(actor=mara.account, client=mara)  # type: ignore[arg-type]
    conversation = conversation_close(actor=cast.a.clinician, client=mara)  # type: ignore[arg-type]
    assert conversation.is_closed
    assert conversation.closed_by == cast.a.clinician
    with pytest.raises(MessagingError) as refused:
        message_send(actor=mara.account, client=mara, body="Wait!")  # type: ignore[arg-type]
    assert refused.value.message == CLOSED_FOR_CLIENT_MESSAGE
    with pytest.raises(MessagingError):
        message_send(actor=cast.a.owner, client=mara, body="Reply")
    assert Message.objects.count() == 1
    conversation_reopen(actor=cast.a.owner, client=mara)
    message_send(actor=mara.account, client=mara, body="Thanks")  # type: ignore[arg-type]
    assert Message.objects.count() == 2
    assert list(
        AuditEntry.objects.filter(action__startswith="conversation.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["conversation.closed", "conversation.reopened"]


def test_closing_without_a_conversation_is_refused(cast: Cast, mara: Client) -> None:
    with pytest.raises(MessagingError, match="no conversation"):
        conversation_close(actor=cast.a.owner, client=mara)


def test_mark_read_moves_forwards_only(cast: Cast, mara: Client) -> None:
    first = message_send(actor=cast.a.owner, client=mara, body="One")
    message_send(actor=cast.a.owner, client=mara, body="Two")
    conversation = Conversation.objects.get(client=mara)
    account = mara.account
    assert account is not None
    assert unread_message_count(user=account) == 2
    assert conversation_mark_read(actor=account, conversation=conversation, up_to=first.pk) == 1
    assert unread_message_count(user=account) == 1
    assert conversation_mark_read(actor=account, conversation=conversation) == 1
    assert conversation_mark_read(actor=account, conversation=conversation, up_to=first.pk) == 0
    assert unread_message_count(user=account) == 0


def test_inbox_lists_unread_first_then_latest_activity(
    cast: Cast, mara: Client, otto: Client, django_assert_max_num_queries: object
) -> None:
    message_send(actor=mara.account, client=mara, body="Unread one")  # type: ignore[arg-type]
    message_send(actor=cast.a.owner, client=otto, body="Latest, read by the owner")
    inbox = list(staff_inbox(viewer=cast.a.owner))
    assert [(c.client, getattr(c, "unread", None)) for c in inbox] == [(mara, 1), (otto, 0)]
    # The clinician sees only their own client.
    assert [c.client for c in staff_inbox(viewer=cast.a.clinician)] == [mara]  # type: ignore[arg-type]
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        assert [c.client.display_name for c in staff_inbox(viewer=cast.a.owner)]
