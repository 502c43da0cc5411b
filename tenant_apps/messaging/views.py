"""Pages of secure messaging: the staff inbox (`/staff/messages/`), a client's conversation for
staff (`/staff/clients/<id>/messages/`) and the client's own Messages page (`/messages/`).

Staff pages load the client with `access_message_client` and the client's page with
`access_own_conversation_client`: 404 for a conversation that is missing, not theirs, or (for a
client) when secure messaging is off. Staff reads of messages are audited (ids and counts only).

The htmx fragments (new messages, unread counts, the inbox list) are polled and guarded by
`htmx_fragment(passive=True)`: a screen left open never keeps an idle session alive. They answer
204 when there is nothing new, so the page is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.accounts.idle import htmx_fragment
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.invitations.client_access import portal_context
from tenant_apps.messaging.attachments import (
    message_attachment_download,
    message_attachment_slot_create,
)
from tenant_apps.messaging.errors import MessagingError
from tenant_apps.messaging.forms import MessageForm, StaffMessagingPreferenceForm
from tenant_apps.messaging.models import Conversation
from tenant_apps.messaging.selectors import (
    access_message_attachment,
    access_message_client,
    access_own_conversation_client,
    conversation_of,
    conversation_thread,
    secure_messaging_enabled,
    staff_inbox,
    staff_may_read_messages,
    staff_messaging_preference,
)
from tenant_apps.messaging.services import (
    conversation_close,
    conversation_mark_read,
    conversation_reopen,
    message_send,
    staff_messaging_preference_set,
)
from tenant_apps.messaging.templatetags.messaging import badge_context, poll_seconds
from tenant_apps.practice_settings.selectors import portal_settings

View = TypeVar("View", bound=Callable[..., HttpResponse])

INBOX_PAGE_SIZE = 25


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _staff_reader(request: HttpRequest) -> User:
    """The signed-in staff member, if their role may read messages at all (admins only when the
    practice allows); 403 otherwise."""
    viewer = staff_user(request)
    if not staff_may_read_messages(viewer):
        raise PermissionDenied
    return viewer


def _audit_read(
    request: HttpRequest,
    viewer: User,
    client: Client,
    conversation: Conversation | None,
    shown: int,
    **detail: Any,
) -> None:
    audit_record(
        action=AuditAction.CONVERSATION_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        object_id=client.pk,
        detail={
            "conversation": conversation.pk if conversation else None,
            "shown": shown,
            **detail,
        },
    )


def _thread_context(
    request: HttpRequest, *, conversation: Conversation | None, poll_url: str, viewer: User
) -> dict[str, Any]:
    before = _int_param(request, "before")
    thread = conversation_thread(conversation=conversation, before_id=before)
    if conversation is not None and thread.messages and before is None:
        conversation_mark_read(actor=viewer, conversation=conversation, up_to=thread.last_id)
    return {
        "conversation": conversation,
        "thread": thread,
        "is_older_page": before is not None,
        # Older pages are history: only the latest page asks for new messages.
        "poll_url": poll_url if before is None else "",
        "poll_seconds": poll_seconds(),
        "last_id": thread.last_id,
    }


def _poll_answer(
    request: HttpRequest,
    *,
    conversation: Conversation | None,
    viewer: User,
    poll_url: str,
    on_new: Callable[[int], None] | None = None,
) -> HttpResponse:
    """The messages after `?after=`, followed by the poller asking for the ones after those;
    204 when there are none."""
    after = _int_param(request, "after") or 0
    if conversation is None or (conversation.last_message_id or 0) <= after:
        return HttpResponse(status=204)
    thread = conversation_thread(conversation=conversation, after_id=after)
    if not thread.messages:
        return HttpResponse(status=204)
    conversation_mark_read(actor=viewer, conversation=conversation, up_to=thread.last_id)
    if on_new is not None:
        on_new(len(thread.messages))
    return render(
        request,
        "messaging/_poll.html",
        {
            "thread": thread,
            "poll_url": poll_url,
            "poll_seconds": poll_seconds(),
            "last_id": thread.last_id,
            "client": conversation.client,
        },
    )


def _slot_answer(request: HttpRequest, *, uploader: User, client: Client) -> JsonResponse:
    """Open an upload slot: `{"attachment_id", "upload": {"url", "fields", "expires_at"}}`,
    or 400 `{"error": sentence}`."""
    size = request.POST.get("size", "")
    try:
        attachment, form = message_attachment_slot_create(
            actor=uploader,
            client=client,
            filename=request.POST.get("filename", ""),
            size=int(size) if size.isdigit() else None,
        )
    except MessagingError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"attachment_id": attachment.pk, "upload": form.as_json()})


def _attachment_ids(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("attachment") if value.isdigit()]


def _form_send(request: HttpRequest, form: MessageForm, *, sender: User, client: Client) -> bool:
    """Send the composer's message (with the files uploaded for it) when the form was posted and
    is valid. Returns whether it was sent; a refusal is shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message_send(
            actor=sender,
            client=client,
            body=form.cleaned_data["body"],
            origin=request_origin(request),
            attachment_ids=_attachment_ids(request),
        )
    except MessagingError as error:
        form.add_error("body" if error.field == "body" else None, error.message)
        return False
    return True


# --- Staff ----------------------------------------------------------------------------------


@staff_required()
@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    """Conversations the staff member takes part in: unread first, then latest activity."""
    viewer = _staff_reader(request)
    context = _inbox_context(request, viewer)
    audit_record(
        action=AuditAction.CONVERSATION_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="conversation",
        detail={"page": context["page"].number, "shown": len(context["conversations"])},
    )
    preference = staff_messaging_preference(viewer)
    context["preference_form"] = StaffMessagingPreferenceForm(
        initial={"emails_unread_messages": preference.emails_unread_messages}
    )
    context["practice"] = current_practice()
    return render(request, "messaging/inbox.html", context)


@htmx_fragment(passive=True)
@staff_required()
@require_GET
def inbox_list_fragment(request: HttpRequest) -> HttpResponse:
    """The inbox's list, polled: 204 unless a conversation on the page has news since `?seen=`
    (the latest message id the page shows), so an unchanged list is neither re-sent nor audited."""
    viewer = _staff_reader(request)
    context = _inbox_context(request, viewer)
    seen = _int_param(request, "seen") or 0
    if context["latest_id"] <= seen:
        return HttpResponse(status=204)
    audit_record(
        action=AuditAction.CONVERSATION_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="conversation",
        detail={
            "page": context["page"].number,
            "shown": len(context["conversations"]),
            "poll": True,
        },
    )
    return render(request, "messaging/_inbox_list.html", context)


def _inbox_context(request: HttpRequest, viewer: User) -> dict[str, Any]:
    page = Paginator(staff_inbox(viewer=viewer), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    conversations = list(page.object_list)
    return {
        "page": page,
        "conversations": conversations,
        "latest_id": max((c.last_message_id or 0 for c in conversations), default=0),
        "poll_seconds": poll_seconds(),
    }


@staff_required()
@require_POST
def staff_preference_page(request: HttpRequest) -> HttpResponse:
    viewer = _staff_reader(request)
    form = StaffMessagingPreferenceForm(request.POST)
    if form.is_valid():
        staff_messaging_preference_set(
            actor=viewer,
            emails_unread_messages=form.cleaned_data["emails_unread_messages"],
            origin=request_origin(request),
        )
        messages.success(request, "Your email preference is saved.")
    return redirect("messaging:inbox")


@htmx_fragment(passive=True)
@staff_required()
@require_GET
def staff_badge_fragment(request: HttpRequest) -> HttpResponse:
    """The Messages link with its unread count, polled."""
    viewer = _staff_reader(request)
    return render(request, "messaging/_badge.html", badge_context(viewer, is_staff=True))


@staff_required()
@require_http_methods(["GET", "POST"])
def conversation_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """A client's conversation for staff: the latest messages (read as they are shown) and the
    composer; POST sends a message."""
    viewer = staff_user(request)
    client = access_message_client(viewer=viewer, client_id=client_id)
    form = MessageForm(request.POST or None)
    if _form_send(request, form, sender=viewer, client=client):
        return redirect(reverse("messaging:conversation", kwargs={"client_id": client.pk}))
    conversation = conversation_of(client)
    context = _thread_context(
        request,
        conversation=conversation,
        poll_url=reverse("messaging:conversation-poll", kwargs={"client_id": client.pk}),
        viewer=viewer,
    )
    _audit_read(request, viewer, client, conversation, len(context["thread"].messages))
    return render(
        request,
        "messaging/conversation.html",
        {
            **context,
            "practice": current_practice(),
            "client": client,
            "form": form,
            "messaging_enabled": secure_messaging_enabled(client),
            "attach_url": reverse(
                "messaging:conversation-attachment-slot", kwargs={"client_id": client.pk}
            ),
        },
        status=400 if form.errors else 200,
    )


@htmx_fragment(passive=True)
@staff_required()
@require_GET
def conversation_poll_fragment(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_message_client(viewer=viewer, client_id=client_id)
    conversation = conversation_of(client)
    return _poll_answer(
        request,
        conversation=conversation,
        viewer=viewer,
        poll_url=reverse("messaging:conversation-poll", kwargs={"client_id": client.pk}),
        on_new=lambda shown: _audit_read(request, viewer, client, conversation, shown, poll=True),
    )


@staff_required()
@require_POST
def conversation_close_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return _set_closed(request, client_id, close=True)


@staff_required()
@require_POST
def conversation_reopen_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return _set_closed(request, client_id, close=False)


def _set_closed(request: HttpRequest, client_id: int, *, close: bool) -> HttpResponse:
    viewer = staff_user(request)
    client = access_message_client(viewer=viewer, client_id=client_id)
    change = conversation_close if close else conversation_reopen
    try:
        change(actor=viewer, client=client, origin=request_origin(request))
    except MessagingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Conversation closed: the client cannot send new messages."
            if close
            else "Conversation reopened.",
        )
    return redirect("messaging:conversation", client_id=client.pk)


@staff_required()
@require_POST
def conversation_attachment_slot(request: HttpRequest, client_id: int) -> JsonResponse:
    """An upload slot for a file staff will send with their next message (JSON)."""
    viewer = staff_user(request)
    client = access_message_client(viewer=viewer, client_id=client_id)
    return _slot_answer(request, uploader=viewer, client=client)


@staff_required()
@require_GET
def conversation_attachment_download(
    request: HttpRequest, client_id: int, attachment_id: int
) -> HttpResponse:
    """Redirect to a short-lived download link of a sent attachment (audited)."""
    viewer = staff_user(request)
    client = access_message_client(viewer=viewer, client_id=client_id)
    attachment = access_message_attachment(
        viewer=viewer, client=client, attachment_id=attachment_id
    )
    return redirect(
        message_attachment_download(
            actor=viewer, attachment=attachment, origin=request_origin(request)
        )
    )


# --- Client ---------------------------------------------------------------------------------


def client_messaging(view: View) -> View:
    """A signed-in client of this practice with secure messaging on: the view gets their client
    record. Anonymous visitors go to sign-in; staff get 403; a client without messaging, 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(user, User) or not user.is_client:
            raise PermissionDenied
        client = access_own_conversation_client(viewer=user)
        return view(request, user, client, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@client_messaging
@require_http_methods(["GET", "POST"])
def client_messages_page(request: HttpRequest, user: User, client: Client) -> HttpResponse:
    """The client's conversation with the practice, the crisis notice above the composer."""
    form = MessageForm(request.POST or None)
    if _form_send(request, form, sender=user, client=client):
        return redirect("messaging-portal:client-messages")
    context = _thread_context(
        request,
        conversation=conversation_of(client),
        poll_url=reverse("messaging-portal:client-poll"),
        viewer=user,
    )
    return render(
        request,
        "messaging/client_messages.html",
        portal_context(
            request,
            client,
            **context,
            form=form,
            crisis_notice=portal_settings().crisis_notice_shown,
            attach_url=reverse("messaging-portal:client-attachment-slot"),
        ),
        status=400 if form.errors else 200,
    )


@htmx_fragment(passive=True)
@client_messaging
@require_GET
def client_poll_fragment(request: HttpRequest, user: User, client: Client) -> HttpResponse:
    return _poll_answer(
        request,
        conversation=conversation_of(client),
        viewer=user,
        poll_url=reverse("messaging-portal:client-poll"),
    )


@htmx_fragment(passive=True)
@client_messaging
@require_GET
def client_badge_fragment(request: HttpRequest, user: User, client: Client) -> HttpResponse:
    return render(request, "messaging/_badge.html", badge_context(user, is_staff=False))


@client_messaging
@require_POST
def client_attachment_slot(request: HttpRequest, user: User, client: Client) -> JsonResponse:
    return _slot_answer(request, uploader=user, client=client)


@client_messaging
@require_GET
def client_attachment_download(
    request: HttpRequest, user: User, client: Client, attachment_id: int
) -> HttpResponse:
    attachment = access_message_attachment(viewer=user, client=client, attachment_id=attachment_id)
    return redirect(
        message_attachment_download(
            actor=user, attachment=attachment, origin=request_origin(request)
        )
    )
