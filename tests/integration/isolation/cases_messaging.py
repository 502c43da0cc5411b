"""Isolation cases for secure messaging (tenant_apps/messaging): pages, polled fragments and API.

With a conversation of A's client in place (one message whose text is a canary): B's owner, B's
client and, on A's host, the session cookies of B's people ask for it. Staff of B get 404 for A's
client's conversation (their own inbox and badge, empty of A); B's client gets 403 on staff routes
and 404 on the client's Messages (messaging is not on for them); a foreign cookie on A's host is
anonymous there (sign-in, 401 for polled fragments, 403 from the API). A's client's own cookie on
B's host is anonymous too. Afterwards A's and B's conversations, messages, read states, outbox,
staff notifications and A's audit log are exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.messaging.models import (
    AttachmentState,
    Conversation,
    ConversationReadState,
    Message,
    MessageAttachment,
)
from tenant_apps.messaging.services import message_send
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast, PracticeCast
from tests.support.isolation import (
    assert_anonymous,
    b_cookie_on_a,
    b_people_send,
    cookie_carried,
    sender,
)
from tests.support.messaging import CANARY, messaging_client

_NAME = ("Mireille", "Messagedelsewhere")
_EMAIL = "mireille.elsewhere@example.org"


def _conversation_of_a(cast: Cast) -> Client:
    """A's client with two messages, the first carrying a (row-only) sent attachment."""
    client = messaging_client(cast.a, first_name=_NAME[0], last_name=_NAME[1], email=_EMAIL)
    with cast.a.schema():
        first = message_send(actor=cast.a.owner, client=client, body=CANARY)
        message_send(actor=client.account, client=client, body=CANARY)  # type: ignore[arg-type]
        MessageAttachment.objects.create(
            conversation=first.conversation,
            message=first,
            uploaded_by=cast.a.owner,
            s3_key=f"practices/{cast.a.practice.uuid}/message-attachments/isolation-case",
            original_filename="isolation.pdf",
            content_type="application/pdf",
            size_bytes=10,
            state=AttachmentState.READY,
            upload_expires_at=timezone.now(),
        )
    return client


def _attachment_of_a(cast: Cast) -> int:
    with cast.a.schema():
        return MessageAttachment.objects.get(original_filename="isolation.pdf").pk


def _practice_state(practice: PracticeCast, *, with_audit: bool) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(Conversation.objects.order_by("pk").values()),
            list(Message.objects.order_by("pk").values()),
            list(ConversationReadState.objects.order_by("pk").values()),
            list(MessageAttachment.objects.order_by("pk").values()),
            list(OutboundEmail.objects.order_by("pk").values_list("pk", "state")),
            StaffNotification.objects.count(),
            AuditEntry.objects.exclude(action__startswith="signin.").count() if with_audit else 0,
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a, with_audit=True), _practice_state(cast.b, with_audit=False)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (*_NAME, _EMAIL, CANARY, cast.a.practice.name, cast.a.owner.email):
        assert secret.encode() not in content, secret


def _case(
    method: str,
    path: str,
    *,
    b_staff: int,
    b_client: int,
    foreign_cookie_on_a: int,
    is_api: bool = False,
    data: dict[str, Any] | None = None,
    a_client_cookie_on_b: int | None = None,
) -> Callable[[Cast], None]:
    """`path` may hold `{pk}` and `{att}`, replaced by the ids of A's client and of its sent
    attachment. Expected statuses: for B's
    owner and B's client on B's host, for B's people's cookies on A's host, and (client routes)
    for A's client's cookie on B's host."""

    def case(cast: Cast) -> None:
        client = _conversation_of_a(cast)
        target = path.format(pk=client.pk, att=_attachment_of_a(cast))
        before = _state(cast)
        send = sender(method, target, data, is_api=is_api)
        b_people_send(
            cast,
            send,
            b_staff=b_staff,
            b_client=b_client,
            cookie_on_a=foreign_cookie_on_a,
            nothing_of_a=_assert_nothing_of_a,
            context=target,
        )
        if a_client_cookie_on_b is not None:
            on_a = cast.a.signed_in(client.account)  # type: ignore[arg-type]
            response = send(cookie_carried(on_a, cast.b))
            assert response.status_code == a_client_cookie_on_b, (target, response.status_code)
            _assert_nothing_of_a(response.content, cast)
        assert _state(cast) == before

    return case


_BODY = {"body": "Hello from practice B"}


def _inbox_list(cast: Cast) -> None:
    """B's owner polling their own inbox list: B has no conversation, so nothing new (204)."""
    _case(
        "get", "/staff/messages/list/?seen=0", b_staff=204, b_client=403, foreign_cookie_on_a=401
    )(cast)


def _preference(cast: Cast) -> None:
    """B's owner saves their own preference (B's row only); nothing of A changes."""
    client = _conversation_of_a(cast)
    before = _practice_state(cast.a, with_audit=True)
    assert (
        cast.b.signed_in(cast.b.owner).post("/staff/messages/preferences/", {}).status_code == 302
    )
    assert (
        cast.b.signed_in(cast.b.client_user).post("/staff/messages/preferences/").status_code == 403
    )
    for who in ("owner", "client_user"):
        response = b_cookie_on_a(cast, who).post("/staff/messages/preferences/", {})
        assert_anonymous(response, 302, who)
    assert _practice_state(cast.a, with_audit=True) == before
    assert client.pk


def _api_conversations(cast: Cast) -> None:
    _case(
        "get",
        "/api/v1/conversations/",
        b_staff=200,
        b_client=403,
        foreign_cookie_on_a=403,
        is_api=True,
    )(cast)
    response = cast.b.signed_in(cast.b.owner).get("/api/v1/conversations/")
    assert response.json()["results"] == []


def _api_messages(cast: Cast) -> None:
    _case(
        "post",
        "/api/v1/conversations/{pk}/messages/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=403,
        is_api=True,
        data=_BODY,
    )(cast)
    with cast.a.schema():
        pk = Client.objects.get(email=_EMAIL).pk
    api = cast.b.signed_in(cast.b.owner)
    response = api.get(f"/api/v1/conversations/{pk}/messages/")
    assert response.status_code == 404
    assert response.json() == api.get("/api/v1/conversations/999999999/messages/").json()
    _assert_nothing_of_a(response.content, cast)


CASES: dict[str, Callable[[Cast], None]] = {
    "messaging:inbox": _case(
        "get", "/staff/messages/", b_staff=200, b_client=403, foreign_cookie_on_a=302
    ),
    "messaging:inbox-list": _inbox_list,
    "messaging:staff-badge": _case(
        "get", "/staff/messages/unread/", b_staff=200, b_client=403, foreign_cookie_on_a=401
    ),
    "messaging:staff-preference": _preference,
    "messaging:conversation": _case(
        "post",
        "/staff/clients/{pk}/messages/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=302,
        data=_BODY,
    ),
    "messaging:conversation-poll": _case(
        "get",
        "/staff/clients/{pk}/messages/poll/?after=0",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=401,
    ),
    "messaging:conversation-close": _case(
        "post",
        "/staff/clients/{pk}/messages/close/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=302,
    ),
    "messaging:conversation-reopen": _case(
        "post",
        "/staff/clients/{pk}/messages/reopen/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=302,
    ),
    "messaging-portal:client-messages": _case(
        "post",
        "/messages/",
        b_staff=403,
        b_client=404,
        foreign_cookie_on_a=302,
        data=_BODY,
        a_client_cookie_on_b=302,
    ),
    "messaging-portal:client-poll": _case(
        "get",
        "/messages/poll/?after=0",
        b_staff=403,
        b_client=404,
        foreign_cookie_on_a=401,
        a_client_cookie_on_b=401,
    ),
    "messaging-portal:client-badge": _case(
        "get",
        "/messages/unread/",
        b_staff=403,
        b_client=404,
        foreign_cookie_on_a=401,
        a_client_cookie_on_b=401,
    ),
    "messaging:conversation-attachment-slot": _case(
        "post",
        "/staff/clients/{pk}/messages/attachments/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=302,
        data={"filename": "notes.pdf", "size": "10"},
    ),
    "messaging:conversation-attachment": _case(
        "get",
        "/staff/clients/{pk}/messages/attachments/{att}/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=302,
    ),
    "messaging-portal:client-attachment-slot": _case(
        "post",
        "/messages/attachments/",
        b_staff=403,
        b_client=404,
        foreign_cookie_on_a=302,
        data={"filename": "notes.pdf", "size": "10"},
        a_client_cookie_on_b=302,
    ),
    "messaging-portal:client-attachment": _case(
        "get",
        "/messages/attachments/{att}/",
        b_staff=403,
        b_client=404,
        foreign_cookie_on_a=302,
        a_client_cookie_on_b=302,
    ),
    "messaging-api:conversations": _api_conversations,
    "messaging-api:messages": _api_messages,
    "messaging-api:read": _case(
        "post",
        "/api/v1/conversations/{pk}/read/",
        b_staff=404,
        b_client=403,
        foreign_cookie_on_a=403,
        is_api=True,
    ),
}
