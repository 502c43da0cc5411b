"""Refusals of the messaging area, with sentences fit to show the person."""

from __future__ import annotations


class MessagingError(Exception):
    """A message cannot be sent or a conversation changed (closed, messaging off, not allowed).
    `field` is `"body"` when the refusal is about the text itself."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
