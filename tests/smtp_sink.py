"""A real SMTP server on loopback that keeps what it receives (aiosmtpd, in a thread).

Used by the outbox tests (tests/integration/outbox/) and `bench/messaging.py`. It can be told to
answer the next RCPT commands with given replies (`451 …` for a temporary failure, `550 …` for a
permanent one), and counts every connection, so that tests see attempts that never delivered.
"""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.policy import default as default_policy
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

TEMPORARY_FAILURE = "451 4.3.0 Try again later"
PERMANENT_FAILURE = "550 5.1.1 Mailbox unavailable"


@dataclass(frozen=True)
class Received:
    message_id: str
    to: tuple[str, ...]
    subject: str
    body: str


class _Handler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.replies: deque[str] = deque()
        self.refused = 0

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        with self.lock:
            reply = self.replies.popleft() if self.replies else None
            if reply is not None:
                self.refused += 1
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = email.message_from_bytes(raw, policy=default_policy)
        body = parsed.get_body(preferencelist=("plain",))
        with self.lock:
            self.received.append(
                Received(
                    message_id=str(parsed["Message-ID"]),
                    to=tuple(envelope.rcpt_tos),
                    subject=str(parsed["Subject"]),
                    body=body.get_content() if body is not None else "",
                )
            )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpSink:
    """`with SmtpSink() as sink:` — listening on 127.0.0.1:`sink.port` until the block ends."""

    def __init__(self) -> None:
        self._handler = _Handler()
        self.port = _free_port()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        # aiosmtpd logs every command at INFO, addresses included: the PHI guard would object.
        self._log = logging.getLogger("mail.log")
        self._log_level = self._log.level
        self._log.setLevel(logging.WARNING)
        self._controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._controller.stop()
        self._log.setLevel(self._log_level)

    @property
    def received(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.received)

    @property
    def refused(self) -> int:
        """How many RCPT commands were answered with a scripted failure."""
        with self._handler.lock:
            return self._handler.refused

    def answer_next(self, *replies: str) -> None:
        """Answer the next len(replies) RCPT commands with these replies, then accept again."""
        with self._handler.lock:
            self._handler.replies.extend(replies)

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.received.clear()
            self._handler.replies.clear()
            self._handler.refused = 0

    def wait_for(self, count: int, *, timeout: float = 20.0) -> list[Received]:
        """Wait until at least `count` emails arrived (or `timeout` seconds); return them all."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def settings(self) -> dict[str, Any]:
        """Django settings that send through this sink."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def environment(self) -> dict[str, str]:
        """Environment variables that point a test-settings process at this sink."""
        return {
            "PORTICO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PORTICO_EMAIL_HOST": "127.0.0.1",
            "PORTICO_EMAIL_PORT": str(self.port),
        }
