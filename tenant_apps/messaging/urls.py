"""Secure messaging pages, included at the root of a practice's host: staff pages under
`/staff/`, the client's under `/messages/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.messaging import views

app_name = "messaging"
urlpatterns = [
    path("staff/messages/", views.inbox_page, name="inbox"),
    path("staff/messages/list/", views.inbox_list_fragment, name="inbox-list"),
    path("staff/messages/unread/", views.staff_badge_fragment, name="staff-badge"),
    path("staff/messages/preferences/", views.staff_preference_page, name="staff-preference"),
    path("staff/clients/<int:client_id>/messages/", views.conversation_page, name="conversation"),
    path(
        "staff/clients/<int:client_id>/messages/poll/",
        views.conversation_poll_fragment,
        name="conversation-poll",
    ),
    path(
        "staff/clients/<int:client_id>/messages/close/",
        views.conversation_close_page,
        name="conversation-close",
    ),
    path(
        "staff/clients/<int:client_id>/messages/reopen/",
        views.conversation_reopen_page,
        name="conversation-reopen",
    ),
    path(
        "staff/clients/<int:client_id>/messages/attachments/",
        views.conversation_attachment_slot,
        name="conversation-attachment-slot",
    ),
    path(
        "staff/clients/<int:client_id>/messages/attachments/<int:attachment_id>/",
        views.conversation_attachment_download,
        name="conversation-attachment",
    ),
    path("messages/", views.client_messages_page, name="client-messages"),
    path("messages/attachments/", views.client_attachment_slot, name="client-attachment-slot"),
    path(
        "messages/attachments/<int:attachment_id>/",
        views.client_attachment_download,
        name="client-attachment",
    ),
    path("messages/poll/", views.client_poll_fragment, name="client-poll"),
    path("messages/unread/", views.client_badge_fragment, name="client-badge"),
]
