"""Refusals of the documents area, with sentences fit to show the person."""

from __future__ import annotations


class DocumentRefused(Exception):
    """The request cannot be done (bad filename, slot expired, file rejected, uploads off)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
