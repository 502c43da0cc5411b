"""Refusals of the invitations area, with sentences fit to show the staff member."""

from __future__ import annotations


class InvitationError(Exception):
    """The invitation cannot be sent, resent or revoked; the message is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
