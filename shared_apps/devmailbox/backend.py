"""`EMAIL_BACKEND` for development: every sent email becomes a file in the dev mailbox."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from shared_apps.devmailbox.mailbox import mailbox_message_write


class MailboxEmailBackend(BaseEmailBackend):
    """Writes each message (recipients, subject, plain-text body, time, links) as one JSON file
    into `settings.PORTICO_DEV_MAILBOX_DIR`, listed at `/dev/mailbox/` on the platform host."""

    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        directory = settings.PORTICO_DEV_MAILBOX_DIR
        if directory is None:
            raise ImproperlyConfigured(
                "MailboxEmailBackend needs settings.PORTICO_DEV_MAILBOX_DIR (set in dev settings)."
            )
        self.directory = Path(directory)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                mailbox_message_write(
                    directory=self.directory,
                    to=list(message.to),
                    subject=str(message.subject),
                    body=str(message.body),
                )
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent
