"""Keys of a practice's objects: `practices/<practice uuid>/<area>/<uuid4>`.

A key never holds a filename or anything a person typed (no PHI in S3 keys); the original
filename is a column next to the key.
"""

from __future__ import annotations

import re
import uuid

from storage.objects import practice_prefix
from storage.practice import current_practice_uuid

# Areas are fixed words chosen by the code (e.g. "shared-documents"), never user input.
_AREA = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


def practice_object_key(*, area: str) -> str:
    """A fresh key for an object of the current practice in `area`.

    Raises ValueError for an area that is not a short lower-case word, and RuntimeError outside a
    practice's schema (see `current_practice_uuid`).
    """
    if not _AREA.match(area):
        raise ValueError("An area is a short lower-case word.")
    return f"{practice_prefix(current_practice_uuid())}{area}/{uuid.uuid4()}"
