"""Refusals of the clients area, with sentences fit to show the staff member."""

from __future__ import annotations


class ImportFileError(Exception):
    """An uploaded CSV cannot be read at all (too big, not text, no header, too many rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
