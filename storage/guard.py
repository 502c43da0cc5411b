"""The storage guard: a practice's code may only touch keys under its own prefix.

Every presign, read and delete of a practice object goes through `key_guard` first, so a key
taken from a row of another practice (or crafted) can never be signed, read or deleted here.
"""

from __future__ import annotations

from storage.objects import practice_prefix
from storage.practice import current_practice_uuid


class ForeignKeyRefused(Exception):
    """A key outside the current practice's prefix was about to be used."""


def key_guard(key: str) -> str:
    """Return `key` when it lies under `practices/<current practice uuid>/`; raise
    ForeignKeyRefused otherwise (including `..` tricks and empty path parts)."""
    prefix = practice_prefix(current_practice_uuid())
    rest = key[len(prefix) :] if key.startswith(prefix) else ""
    parts = rest.split("/")
    if not rest or any(part in ("", ".", "..") for part in parts):
        # Never the key itself in the message: it ends up in logs.
        raise ForeignKeyRefused("This key does not belong to the current practice.")
    return key
