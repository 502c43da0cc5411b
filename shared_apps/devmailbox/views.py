"""The dev mailbox pages on the platform host; 404 unless dev settings name the mailbox folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shared_apps.devmailbox.mailbox import mailbox_message_get, mailbox_message_list


def mailbox_list(request: HttpRequest) -> HttpResponse:
    emails = mailbox_message_list(directory=_mailbox_directory())
    return render(request, "devmailbox/mailbox_list.html", {"emails": emails})


def mailbox_detail(request: HttpRequest, message_id: str) -> HttpResponse:
    email = mailbox_message_get(directory=_mailbox_directory(), message_id=message_id)
    if email is None:
        raise Http404
    return render(request, "devmailbox/mailbox_detail.html", {"email": email})


def _mailbox_directory() -> Path:
    directory = settings.PORTICO_DEV_MAILBOX_DIR
    if directory is None:
        raise Http404
    return Path(directory)
