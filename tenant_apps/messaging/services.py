"""Sending secure messages, reading them, closing a conversation.

Each call runs in one transaction with its audit row, outbox rows and staff notifications, in the
current practice's schema. Nothing here puts message text anywhere but the `Message` row: audit
rows name messages and clients by id, emails only say that a secure message is waiting.

Unread emails: when a message arrives for someone who had nothing unread in the conversation, one
email is queued for them, due after the practice's "unread message email delay", with the key
`message-unread:<message id>:<user id>`. Reading the conversation before then cancels it; further
messages of the same unread stretch queue nothing more, so one stretch is at most one email.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.attachments import (
    message_attachments_attach,
    message_attachments_verify,
)
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.models import (
    MESSAGE_MAX_LENGTH,
    Conversation,
    ConversationReadState,
    Message,
    StaffMessagingPreference,
)
from tenant_apps.messaging.selectors import (
    secure_messaging_enabled,
    staff_emails_unread_messages,
    staff_participants,
    takes_part,
)
from tenant_apps.notifications.links import email_practice, portal_link
from tenant_apps.notifications.services import email_cancel, email_enqueue
from tenant_apps.practice_settings.selectors import portal_settings
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.services import staff_notify

CLIENT_EMAIL_KIND = "message_waiting"
STAFF_EMAIL_KIND = "staff_message_waiting"
_CLIENT_EMAIL_TEMPLATE = "messaging/email/message_waiting.txt"
_STAFF_EMAIL_TEMPLATE = "messaging/email/staff_message_waiting.txt"

EMPTY_BODY_MESSAGE = "Write a message before sending."
CLOSED_FOR_CLIENT_MESSAGE = (
    "This conversation has been closed by the practice, so it cannot take new messages. "
    "Contact the practice another way if you need to reach them."
)
CLOSED_FOR_STAFF_MESSAGE = "This conversation is closed: reopen it to send a message."
NOT_ENABLED_MESSAGE = (
    "Secure messaging is not turned on for this client: turn it on in the client's Portal tab."
)


def unread_email_key(*, message_id: int, user_id: int) -> str:
    """The outbox idempotency key of the unread email about `message_id` for `user_id`."""
    return f"message-unread:{message_id}:{user_id}"


def message_body_clean(body: str) -> str:
    """`body` without surrounding whitespace. Raises MessagingError (field `body`) when it is
    empty or longer than `MESSAGE_MAX_LENGTH` characters."""
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise MessagingError(EMPTY_BODY_MESSAGE, field="body")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise MessagingError(
            f"A message can be at most {MESSAGE_MAX_LENGTH:,} characters; this one has "
            f"{len(text):,}. Shorten it or send it in parts.",
            field="body",
        )
    return text


def message_send(
    *,
    sender: User,
    client: Client,
    body: str,
    request: HttpRequest | None = None,
    attachment_ids: Sequence[int] = (),
) -> Message:
    """Send `body` from `sender` in `client`'s conversation (made on the first message) and
    return the new message.

    `sender` is the client themself (their portal account) or staff taking part (owners, the
    assigned clinician, admins when the practice allows). In one transaction: the message; the
    conversation's latest activity; the sender's read state (they have read up to their own
    message); an audit row `message.sent` (ids only, never the text); and for each recipient who
    had nothing unread in this conversation yet:
    - staff → client: an unread email to the client, due after the practice's delay, when their
      account is active and their preferences allow email;
    - client → staff: a `new_message` staff notification for each staff participant, and an
      unread email for those whose "Email me when a client message stays unread" is on.

    `attachment_ids` are upload slots of `sender` in this conversation
    (`message_attachment_slot_create`): their files are verified first (see attachments.py) and
    tied to the message.

    Raises PermissionDenied when `sender` does not take part; MessagingError when the body is
    empty or too long (field `body`), an attachment is refused (field `attachment`), the
    conversation is closed, or messaging is off for the client.
    """
    text = message_body_clean(body)
    conversation_for_sending(sender=sender, client=client, create=False)
    checked = (
        message_attachments_verify(
            sender=sender, client=client, attachment_ids=list(attachment_ids)
        )
        if attachment_ids
        else []
    )
    with transaction.atomic():
        conversation = _conversation_locked(client)
        if conversation.is_closed:
            raise MessagingError(_closed_message(sender))
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            sent_by_staff=sender.is_practice_staff,
            body=text,
            sent_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_id=message.pk, last_message_at=now
        )
        conversation.last_message_id, conversation.last_message_at = message.pk, now
        _read_state_advance(conversation=conversation, user=sender, up_to=message.pk, at=now)
        attached = message_attachments_attach(message=message, checked=checked)
        audit_record(
            action="message.sent",
            request=request,
            actor=sender,
            object_type="message",
            object_id=message.pk,
            detail={"client": client.pk, "conversation": conversation.pk, "attachments": attached},
        )
        if message.sent_by_staff:
            _tell_client(client=client, message=message, request=request)
        else:
            _tell_staff(client=client, message=message, request=request)
    return message


def conversation_for_sending(
    *, sender: User, client: Client, create: bool = True
) -> Conversation | None:
    """The conversation `sender` may send in now (made when missing and `create`). Raises
    PermissionDenied when they do not take part, MessagingError when messaging is off for the
    client or the conversation is closed."""
    if not takes_part(user=sender, client=client):
        raise PermissionDenied
    if not secure_messaging_enabled(client):
        raise MessagingError(NOT_ENABLED_MESSAGE)
    conversation = (
        Conversation.objects.get_or_create(client=client)[0]
        if create
        else Conversation.objects.filter(client=client).first()
    )
    if conversation is not None and conversation.is_closed:
        raise MessagingError(_closed_message(sender))
    return conversation


def _closed_message(sender: User) -> str:
    return CLOSED_FOR_STAFF_MESSAGE if sender.is_practice_staff else CLOSED_FOR_CLIENT_MESSAGE


def conversation_mark_read(
    *, user: User, conversation: Conversation, up_to: int | None = None
) -> int:
    """Record that `user` has read `conversation` up to message id `up_to` (default: its latest
    message); return how many messages of others became read. Their pending unread emails for
    `user` are cancelled. Never moves backwards; reading twice changes nothing."""
    latest = conversation.last_message_id or 0
    target = latest if up_to is None else min(up_to, latest)
    if target <= 0:
        return 0
    with transaction.atomic():
        state, _ = ConversationReadState.objects.get_or_create(conversation=conversation, user=user)
        if target <= state.last_read_message_id:
            return 0
        newly_read = list(
            Message.objects.filter(
                conversation=conversation,
                id__gt=state.last_read_message_id,
                id__lte=target,
            )
            .exclude(sender=user)
            .values_list("pk", flat=True)
        )
        _read_state_advance(conversation=conversation, user=user, up_to=target, at=timezone.now())
        for message_id in newly_read:
            email_cancel(idempotency_key=unread_email_key(message_id=message_id, user_id=user.pk))
    return len(newly_read)


def conversation_close(
    *, actor: User, client: Client, request: HttpRequest | None = None
) -> Conversation:
    """Close `client`'s conversation: nobody can send in it until a staff member reopens it.
    Staff participants only (PermissionDenied otherwise); MessagingError when there is no
    conversation yet. Closing a closed one changes nothing. Audits `conversation.closed`."""
    return _set_closed(actor=actor, client=client, closed=True, request=request)


def conversation_reopen(
    *, actor: User, client: Client, request: HttpRequest | None = None
) -> Conversation:
    """Reopen `client`'s closed conversation. Same rules as `conversation_close`; audits
    `conversation.reopened`."""
    return _set_closed(actor=actor, client=client, closed=False, request=request)


def staff_messaging_preference_set(
    *, user: User, emails_unread_messages: bool, request: HttpRequest | None = None
) -> StaffMessagingPreference:
    """Save staff member `user`'s "Email me when a client message stays unread". Audits
    `messaging.preference_updated` when it changed. Applies to messages sent from now on."""
    with transaction.atomic():
        preference, _ = StaffMessagingPreference.objects.select_for_update().get_or_create(
            user=user
        )
        if preference.emails_unread_messages != emails_unread_messages:
            preference.emails_unread_messages = emails_unread_messages
            preference.save(update_fields=["emails_unread_messages", "updated_at"])
            audit_record(
                action="messaging.preference_updated",
                request=request,
                actor=user,
                object_type="user",
                object_id=user.pk,
                detail={"emails_unread_messages": emails_unread_messages},
            )
    return preference


# --- Helpers --------------------------------------------------------------------------------------


def _conversation_locked(client: Client) -> Conversation:
    """`client`'s conversation, made if missing, locked for this transaction: messages of one
    conversation are sent one at a time, so its latest activity and unread stretches stay exact."""
    Conversation.objects.get_or_create(client=client)
    return Conversation.objects.select_for_update().get(client=client)


def _read_state_advance(
    *, conversation: Conversation, user: User, up_to: int, at: datetime
) -> None:
    state, created = ConversationReadState.objects.get_or_create(
        conversation=conversation,
        user=user,
        defaults={"last_read_message_id": up_to, "last_read_at": at},
    )
    if not created:
        # Only forwards: a slower concurrent read of an older message never moves it back.
        ConversationReadState.objects.filter(pk=state.pk, last_read_message_id__lt=up_to).update(
            last_read_message_id=up_to, last_read_at=at
        )


def _had_unread(*, message: Message, user: User) -> bool:
    """Whether `user` already had a message of the other side unread in this conversation before
    `message` (then an email for that stretch exists, or was read past, and none is queued)."""
    last_read = (
        ConversationReadState.objects.filter(conversation_id=message.conversation_id, user=user)
        .values_list("last_read_message_id", flat=True)
        .first()
    ) or 0
    return (
        Message.objects.filter(
            conversation_id=message.conversation_id,
            id__gt=last_read,
            id__lt=message.pk,
            sent_by_staff=message.sent_by_staff,
        )
        .exclude(sender=user)
        .exists()
    )


def _unread_email_queue(
    *,
    kind: str,
    to: User,
    message: Message,
    client: Client,
    subject: str,
    template_name: str,
    context: dict[str, str],
) -> None:
    """Queue the "a message is waiting" email to `to`, due after the practice's delay and keyed
    by message and reader (`unread_email_key`), so that reading it in time cancels it."""
    email_enqueue(
        kind=kind,
        to_email=to.email,
        subject=subject,
        template_name=template_name,
        context=context,
        idempotency_key=unread_email_key(message_id=message.pk, user_id=to.pk),
        send_after=_email_due(),
        client=client,
    )


def _email_due() -> datetime:
    return timezone.now() + timedelta(minutes=portal_settings().unread_message_email_delay_minutes)


def _tell_client(*, client: Client, message: Message, request: HttpRequest | None) -> None:
    account = client.account
    if account is None or not account.is_active or not account.email:
        return
    if not PortalAccess.objects.filter(client=client, allows_email=True).exists():
        return
    if _had_unread(message=message, user=account):
        return
    practice = email_practice(request)
    _unread_email_queue(
        kind=CLIENT_EMAIL_KIND,
        to=account,
        message=message,
        client=client,
        subject=f"A secure message is waiting for you at {practice.name}",
        template_name=_CLIENT_EMAIL_TEMPLATE,
        context={
            "practice_name": practice.name,
            "messages_url": portal_link(reverse("messaging:client-messages"), practice=practice),
        },
    )


def _tell_staff(*, client: Client, message: Message, request: HttpRequest | None) -> None:
    staff = [
        user for user in staff_participants(client) if not _had_unread(message=message, user=user)
    ]
    if not staff:
        return
    staff_notify(
        recipients=staff,
        kind=StaffNotificationKind.NEW_MESSAGE,
        client=client,
        link=reverse("messaging:conversation", kwargs={"client_id": client.pk}),
    )
    wants_email = staff_emails_unread_messages(staff)
    practice = email_practice(request)
    for user in staff:
        if user.pk not in wants_email or not user.email:
            continue
        _unread_email_queue(
            kind=STAFF_EMAIL_KIND,
            to=user,
            message=message,
            client=client,
            subject=f"A client message is waiting at {practice.name}",
            template_name=_STAFF_EMAIL_TEMPLATE,
            context={
                "practice_name": practice.name,
                "inbox_url": portal_link(reverse("messaging:inbox"), practice=practice),
            },
        )


def _set_closed(
    *, actor: User, client: Client, closed: bool, request: HttpRequest | None
) -> Conversation:
    if not (actor.is_practice_staff and takes_part(user=actor, client=client)):
        raise PermissionDenied
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(client=client).first()
        if conversation is None:
            raise MessagingError("There is no conversation with this client yet.")
        if conversation.is_closed == closed:
            return conversation
        conversation.closed_at = timezone.now() if closed else None
        conversation.closed_by = actor if closed else None
        conversation.save(update_fields=["closed_at", "closed_by"])
        audit_record(
            action="conversation.closed" if closed else "conversation.reopened",
            request=request,
            actor=actor,
            object_type="client",
            object_id=client.pk,
            detail={"conversation": conversation.pk},
        )
    return conversation
