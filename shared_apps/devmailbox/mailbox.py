"""The dev mailbox's storage: one JSON file per sent email in `settings.PORTICO_DEV_MAILBOX_DIR`.

File names start with the time they were written, so sorting them sorts the mail.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{8}$")
_LINK = re.compile(r"https?://[^\s<>\"']+")
_LINK_TRAILER = ".,;:!?)]}'\""


@dataclass(frozen=True)
class MailboxMessage:
    id: str
    to: list[str]
    subject: str
    body: str
    sent_at: datetime
    links: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "sent_at": self.sent_at.isoformat(),
            "links": self.links,
        }


def mailbox_message_write(
    *, directory: Path, to: list[str], subject: str, body: str
) -> MailboxMessage:
    """Store one email; the file appears complete or not at all (written aside, then renamed)."""
    sent_at = datetime.now(tz=UTC)
    message = MailboxMessage(
        id=f"{sent_at:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(4)}",
        to=to,
        subject=subject,
        body=body,
        sent_at=sent_at,
        links=links_in(body),
    )
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".{message.id}.partial"
    partial.write_text(json.dumps(message.as_json(), indent=2, ensure_ascii=False))
    os.replace(partial, directory / f"{message.id}.json")
    return message


def mailbox_message_list(*, directory: Path, limit: int = 200) -> list[MailboxMessage]:
    """The newest `limit` emails, newest first."""
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.json"), key=lambda path: path.name, reverse=True)
    found = (_read(path) for path in paths[:limit])
    return [message for message in found if message is not None]


def mailbox_message_get(*, directory: Path, message_id: str) -> MailboxMessage | None:
    """One email by id, or None (also for anything that is not an id, such as `../x`)."""
    if not _ID.match(message_id):
        return None
    return _read(directory / f"{message_id}.json")


def links_in(text: str) -> list[str]:
    """The http(s) addresses in a plain-text body, in order, without trailing punctuation."""
    return [match.rstrip(_LINK_TRAILER) for match in _LINK.findall(text)]


def _read(path: Path) -> MailboxMessage | None:
    try:
        data = json.loads(path.read_text())
        return MailboxMessage(
            id=data["id"],
            to=list(data["to"]),
            subject=data["subject"],
            body=data["body"],
            sent_at=datetime.fromisoformat(data["sent_at"]),
            links=list(data["links"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
