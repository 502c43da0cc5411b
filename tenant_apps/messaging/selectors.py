"""Reading conversations and messages, always through the viewer's participation.

Who takes part in a client's conversation: the client (their own portal account, while secure
messaging is on for them), the practice's owners, the client's assigned clinician, and admin staff
only when the owner turned on "Admin staff can read secure messages". Anyone else sees nothing:
`access_*` answers the same 404 for a conversation that does not exist and one that is not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.clients.models import Client
from tenant_apps.clients.selectors import clients_visible_to
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.models import (
    AttachmentState,
    Conversation,
    ConversationReadState,
    Message,
    MessageAttachment,
    StaffMessagingPreference,
)
from tenant_apps.practice_settings.selectors import portal_settings

MESSAGES_SHOWN = 50

CLOSED_FOR_CLIENT_MESSAGE = (
    "This conversation has been closed by the practice, so it cannot take new messages. "
    "Contact the practice another way if you need to reach them."
)
CLOSED_FOR_STAFF_MESSAGE = "This conversation is closed: reopen it to send a message."
NOT_ENABLED_MESSAGE = (
    "Secure messaging is not turned on for this client: turn it on in the client's Portal tab."
)


def admin_staff_read_messages() -> bool:
    return portal_settings().admin_staff_read_messages


def staff_may_read_messages(viewer: User) -> bool:
    """Whether `viewer` is active staff whose role may read secure messages at all."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_practice_staff):
        return False
    if viewer.role == StaffRole.ADMIN:
        return admin_staff_read_messages()
    return viewer.role in (StaffRole.OWNER, StaffRole.CLINICIAN)


def message_clients_visible_to(*, viewer: User) -> QuerySet[Client]:
    """The clients whose conversation staff member `viewer` takes part in (none for others)."""
    if not staff_may_read_messages(viewer):
        return Client.objects.none()
    return clients_visible_to(viewer=viewer)


def secure_messaging_enabled(client: Client) -> bool:
    """Whether secure messaging is turned on for `client` (in their portal access)."""
    return PortalAccess.objects.filter(client=client, secure_messaging=True).exists()


def access_message_client(*, viewer: User, client_id: int) -> Client:
    """Client `client_id`, whose conversation staff member `viewer` takes part in; Http404
    otherwise (missing, not theirs, or an admin while admins may not read messages)."""
    client = (
        message_clients_visible_to(viewer=viewer)
        .select_related("clinician", "account")
        .filter(pk=client_id)
        .first()
    )
    if client is None:
        raise Http404("No conversation found.")
    return client


def access_own_conversation_client(*, viewer: User) -> Client:
    """The signed-in client's own record, when secure messaging is on for them; Http404
    otherwise (the Messages page does not exist for them)."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.kind == UserKind.CLIENT):
        raise Http404("No conversation found.")
    client = (
        Client.objects.filter(
            account=viewer, is_archived=False, portal_access__secure_messaging=True
        )
        .select_related("account")
        .first()
    )
    if client is None:
        raise Http404("No conversation found.")
    return client


def conversation_of(client: Client) -> Conversation | None:
    return Conversation.objects.filter(client=client).first()


def takes_part(*, user: User, client: Client) -> bool:
    """Whether `user` takes part in `client`'s conversation (see the module's rules)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.kind == UserKind.CLIENT:
        return (
            client.account_id == user.pk
            and not client.is_archived
            and secure_messaging_enabled(client)
        )
    return message_clients_visible_to(viewer=user).filter(pk=client.pk).exists()


def closed_message(sender: User) -> str:
    """What `sender` reads when the conversation they write in is closed."""
    return CLOSED_FOR_STAFF_MESSAGE if sender.is_practice_staff else CLOSED_FOR_CLIENT_MESSAGE


def conversation_sending_check(*, sender: User, client: Client) -> Conversation | None:
    """`client`'s conversation if `sender` may send in it now (None while there is none yet).
    Raises PermissionDenied when they do not take part, MessagingError when messaging is off for
    the client or the conversation is closed. Reads only."""
    if not takes_part(user=sender, client=client):
        raise PermissionDenied
    if not secure_messaging_enabled(client):
        raise MessagingError(NOT_ENABLED_MESSAGE)
    conversation = conversation_of(client)
    if conversation is not None and conversation.is_closed:
        raise MessagingError(closed_message(sender))
    return conversation


def access_message_attachment(
    *, viewer: User, client: Client, attachment_id: int
) -> MessageAttachment:
    """Attachment `attachment_id`, sent in `client`'s conversation, which `viewer` takes part in
    (the caller loaded `client` with an `access_*` selector); Http404 otherwise."""
    attachment = (
        MessageAttachment.objects.filter(
            pk=attachment_id,
            conversation__client=client,
            state=AttachmentState.READY,
            message__isnull=False,
        )
        .select_related("conversation")
        .first()
    )
    if (
        attachment is None
        or not takes_part(user=viewer, client=client)
        or (not viewer.is_practice_staff and not secure_messaging_enabled(client))
    ):
        raise Http404("No file found.")
    return attachment


def staff_participants(client: Client) -> list[User]:
    """Active staff who take part in `client`'s conversation: owners, the assigned clinician,
    and admins when the practice allows it; ordered by id."""
    roles = [StaffRole.OWNER]
    if admin_staff_read_messages():
        roles.append(StaffRole.ADMIN)
    users = User.objects.filter(kind=UserKind.STAFF, is_active=True).filter(
        Q(role__in=roles) | Q(role=StaffRole.CLINICIAN, pk=client.clinician_id)
    )
    return list(users.order_by("pk"))


def staff_emails_unread_messages(users: list[User]) -> set[int]:
    """Ids of `users` who want an email when a client message stays unread (the default)."""
    off = set(
        StaffMessagingPreference.objects.filter(
            user__in=users, emails_unread_messages=False
        ).values_list("user_id", flat=True)
    )
    return {user.pk for user in users} - off


def staff_messaging_preference(user: User) -> StaffMessagingPreference:
    """`user`'s preference row, or an unsaved one holding the defaults."""
    return StaffMessagingPreference.objects.filter(user=user).first() or StaffMessagingPreference(
        user=user
    )


def _last_read(user: User) -> Subquery:
    return Subquery(
        ConversationReadState.objects.filter(
            conversation=OuterRef("conversation_id"), user=user
        ).values("last_read_message_id")[:1]
    )


def unread_messages(*, user: User, conversations: QuerySet[Any, Any]) -> QuerySet[Message]:
    """Messages of `conversations` (conversations, or their ids) sent by someone else after
    `user` last read them."""
    return (
        Message.objects.filter(conversation__in=conversations)
        .exclude(sender=user)
        .filter(id__gt=Coalesce(_last_read(user), Value(0), output_field=IntegerField()))
    )


def unread_message_count(*, user: User) -> int:
    """How many messages wait unread for `user` over every conversation they take part in.
    One query: only conversations whose latest message is past the user's read mark are looked
    into (a comparison on the conversation row), and only their newer messages are counted (the
    read state is a correlated lookup on its unique index)."""
    if user.kind == UserKind.CLIENT:
        conversations = Conversation.objects.filter(
            client__account=user,
            client__is_archived=False,
            client__portal_access__secure_messaging=True,
        )
    else:
        conversations = Conversation.objects.filter(
            client__in=message_clients_visible_to(viewer=user)
        )
    last_read = Coalesce(
        Subquery(
            ConversationReadState.objects.filter(conversation=OuterRef("pk"), user=user).values(
                "last_read_message_id"
            )[:1]
        ),
        Value(0),
        output_field=IntegerField(),
    )
    with_news = conversations.annotate(last_read=last_read).filter(
        last_message_id__gt=F("last_read")
    )
    return unread_messages(user=user, conversations=with_news.values("pk")).count()


def staff_inbox(*, viewer: User) -> QuerySet[Conversation]:
    """The conversations `viewer` takes part in, unread first, then by latest activity; each
    with its client (joined) and `unread` (how many messages wait for `viewer`). A fixed number
    of queries however many there are."""
    read_state = ConversationReadState.objects.filter(conversation=OuterRef("pk"), user=viewer)
    last_read = Coalesce(
        Subquery(read_state.values("last_read_message_id")[:1]),
        Value(0),
        output_field=IntegerField(),
    )
    unread = Subquery(
        Message.objects.filter(conversation=OuterRef("pk"), id__gt=OuterRef("last_read"))
        .exclude(sender=viewer)
        .order_by()
        .values("conversation")
        .annotate(count=Count("pk"))
        .values("count")[:1],
        output_field=IntegerField(),
    )
    return (
        Conversation.objects.filter(
            client__in=message_clients_visible_to(viewer=viewer), last_message_id__isnull=False
        )
        .select_related("client", "client__clinician")
        .annotate(last_read=last_read)
        .annotate(
            unread=Coalesce(unread, Value(0)),
            has_unread=Case(
                When(last_message_id__gt=F("last_read"), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-has_unread", F("last_message_at").desc(nulls_last=True), "-pk")
    )


@dataclass(frozen=True)
class Thread:
    """What a conversation page shows: the latest messages (oldest first) and whether there are
    older ones."""

    messages: list[Message]
    has_older: bool

    @property
    def last_id(self) -> int:
        return self.messages[-1].pk if self.messages else 0


def conversation_messages(conversation: Conversation | None) -> QuerySet[Message]:
    """Every message of `conversation` (none without one), newest first."""
    if conversation is None:
        return Message.objects.none()
    return Message.objects.filter(conversation=conversation).order_by("-id")


def conversation_thread(
    *, conversation: Conversation | None, after_id: int = 0, before_id: int | None = None
) -> Thread:
    """The latest `MESSAGES_SHOWN` messages (after `after_id`, before `before_id` when given),
    oldest first, with their senders and sent attachments. Two queries."""
    if conversation is None:
        return Thread(messages=[], has_older=False)
    messages = Message.objects.filter(conversation=conversation, id__gt=after_id)
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    ready = MessageAttachment.objects.filter(state=AttachmentState.READY).order_by("pk")
    latest = list(
        messages.select_related("sender")
        .prefetch_related(Prefetch("attachments", queryset=ready))
        .order_by("-id")[: MESSAGES_SHOWN + 1]
    )
    has_older = len(latest) > MESSAGES_SHOWN
    return Thread(messages=latest[:MESSAGES_SHOWN][::-1], has_older=has_older)
