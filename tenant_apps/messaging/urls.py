"""Routes of secure messaging, mounted by config/urls_tenant.py: staff pages under
`/staff/messages/` and `/staff/clients/<id>/messages/` (namespace `messaging`), the client's under
`/messages/` (`messaging-portal`), the API under `/api/v1/conversations/` (`messaging-api`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.messaging import api, views

_inbox = [
    path("messages/", views.inbox_page, name="inbox"),
    path("messages/list/", views.inbox_list_fragment, name="inbox-list"),
    path("messages/unread/", views.staff_badge_fragment, name="staff-badge"),
    path("messages/preferences/", views.staff_preference_page, name="staff-preference"),
    path("clients/<int:client_id>/messages/", views.conversation_page, name="conversation"),
    path(
        "clients/<int:client_id>/messages/poll/",
        views.conversation_poll_fragment,
        name="conversation-poll",
    ),
    path(
        "clients/<int:client_id>/messages/close/",
        views.conversation_close_page,
        name="conversation-close",
    ),
    path(
        "clients/<int:client_id>/messages/reopen/",
        views.conversation_reopen_page,
        name="conversation-reopen",
    ),
    path(
        "clients/<int:client_id>/messages/attachments/",
        views.conversation_attachment_slot,
        name="conversation-attachment-slot",
    ),
    path(
        "clients/<int:client_id>/messages/attachments/<int:attachment_id>/",
        views.conversation_attachment_download,
        name="conversation-attachment",
    ),
]

_portal = [
    path("", views.client_messages_page, name="client-messages"),
    path("attachments/", views.client_attachment_slot, name="client-attachment-slot"),
    path(
        "attachments/<int:attachment_id>/",
        views.client_attachment_download,
        name="client-attachment",
    ),
    path("poll/", views.client_poll_fragment, name="client-poll"),
    path("unread/", views.client_badge_fragment, name="client-badge"),
]

_api = [
    path("", api.ConversationListApi.as_view(), name="conversations"),
    path("<int:client_id>/messages/", api.MessageListCreateApi.as_view(), name="messages"),
    path("<int:client_id>/read/", api.ConversationReadApi.as_view(), name="read"),
]

staff_patterns = [path("", include((_inbox, "messaging")))]
portal_patterns = [path("messages/", include((_portal, "messaging-portal")))]
api_patterns = [path("conversations/", include((_api, "messaging-api")))]
