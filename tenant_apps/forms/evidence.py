"""The signed document's fingerprint: a canonical JSON of the answers and its SHA-256.

The canonical JSON (format `portico-answers-v1`) is the UTF-8 encoding of

    {"answers": {...}, "form_id": <int>, "format": "portico-answers-v1", "version_id": <int>}

serialised with `json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`:
keys sorted at every level, no whitespace, non-ASCII text as itself (not `\\u` escapes), then
encoded as UTF-8. Answers are the validated values stored on the submission (text as typed,
choices by their option value, several choices as a list in form order, dates as `YYYY-MM-DD`,
numbers as JSON numbers, yes/no as `"yes"`/`"no"`). The form and version ids are inside the
hashed document, so the same answers signed on another form or version give another hash.

Anyone holding the stored answers can recompute the hash with these rules and compare it with
the signature evidence record; `answers_intact` does exactly that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

CANONICAL_FORMAT = "portico-answers-v1"


def canonical_document(
    *, form_id: int, version_id: int, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The document that is hashed (see the module docstring)."""
    return {
        "answers": dict(answers),
        "form_id": int(form_id),
        "format": CANONICAL_FORMAT,
        "version_id": int(version_id),
    }


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8, non-ASCII kept as itself. Raises ValueError for
    values JSON cannot represent exactly (NaN, infinity)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def answers_sha256(*, form_id: int, version_id: int, answers: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of `answers` on that form and version."""
    document = canonical_document(form_id=form_id, version_id=version_id, answers=answers)
    return hashlib.sha256(canonical_json(document)).hexdigest()


def answers_intact(
    *, expected_sha256: str, form_id: int, version_id: int, answers: Mapping[str, Any]
) -> bool:
    """Whether `answers` still hash to the recorded value (constant-time comparison). Answers
    that are no longer a JSON object of representable values do not match."""
    try:
        actual = answers_sha256(form_id=form_id, version_id=version_id, answers=answers)
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(actual, expected_sha256)
