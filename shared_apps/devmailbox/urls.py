"""`/dev/mailbox/` on the platform host (config/urls_public.py)."""

from __future__ import annotations

from django.urls import path

from shared_apps.devmailbox.views import mailbox_detail, mailbox_list

app_name = "devmailbox"
urlpatterns = [
    path("", mailbox_list, name="list"),
    path("<str:message_id>/", mailbox_detail, name="detail"),
]
