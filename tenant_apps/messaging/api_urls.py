"""The messaging API, included at `/api/v1/` on a practice's host."""

from __future__ import annotations

from django.urls import path

from tenant_apps.messaging import api

app_name = "messaging-api"
urlpatterns = [
    path("conversations/", api.ConversationListApi.as_view(), name="conversations"),
    path(
        "conversations/<int:client_id>/messages/",
        api.MessageListCreateApi.as_view(),
        name="messages",
    ),
    path("conversations/<int:client_id>/read/", api.ConversationReadApi.as_view(), name="read"),
]
