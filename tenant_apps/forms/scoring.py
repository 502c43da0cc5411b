"""Automatic scoring of a submission (PHQ-9, GAD-7, or any version with a `scoring` rule).

Pure functions: no database, no side effects. A version's `scoring` is None (not scored) or
`{"method": "sum", "keys": [...], "bands": [{"min", "max", "label"}], "flags": [{"key", "min",
"label"}]}`. Each scored key's answer is a choice `value` whose option carries a `score`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tenant_apps.forms.schema import RANGE_TYPES, field_type


class _Versionish(Protocol):
    fields: Any
    scoring: Any


@dataclass(frozen=True)
class ScoreResult:
    """`score` is None when the version is not scored or a scored item is unanswered; `band` is
    the severity label ("" when there is no score); `flags` are labels for staff attention (e.g.
    the PHQ-9 self-harm item answered above 0), computed even when the score is incomplete."""

    score: int | None
    band: str
    flags: list[str] = field(default_factory=list)


def _option_score(
    fields_by_key: Mapping[str, Mapping[str, Any]], key: str, value: Any
) -> int | None:
    definition = fields_by_key.get(key)
    if definition is None or value in (None, "", []):
        return None
    for option in definition.get("options") or []:
        if str(option.get("value")) == str(value):
            score = option.get("score")
            return int(score) if score is not None else None
    if field_type(definition) in RANGE_TYPES:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return None


def score_result(version: _Versionish, answers: Mapping[str, Any]) -> ScoreResult:
    """Score `answers` (key → value) by `version.scoring`. Unknown method → not scored."""
    rule = version.scoring
    if not rule or rule.get("method") != "sum":
        return ScoreResult(score=None, band="")
    fields_by_key = {f["key"]: f for f in (version.fields or []) if "key" in f}

    flags: list[str] = []
    for flag in rule.get("flags") or []:
        item = _option_score(fields_by_key, flag["key"], answers.get(flag["key"]))
        if item is not None and item >= int(flag.get("min", 1)):
            flags.append(str(flag["label"]))

    items = [_option_score(fields_by_key, key, answers.get(key)) for key in rule.get("keys", [])]
    if any(item is None for item in items):
        return ScoreResult(score=None, band="", flags=flags)
    total = sum(item for item in items if item is not None)
    band = next(
        (
            str(b["label"])
            for b in rule.get("bands") or []
            if int(b["min"]) <= total <= int(b["max"])
        ),
        "",
    )
    return ScoreResult(score=total, band=band, flags=flags)


def score_answers(version: _Versionish, answers: Mapping[str, Any]) -> tuple[int | None, str]:
    """The contract forms-fill uses: `(score or None, severity band label)`."""
    result = score_result(version, answers)
    return result.score, result.band


def score_flags(version: _Versionish, answers: Mapping[str, Any]) -> list[str]:
    """Labels of the items needing staff attention (e.g. PHQ-9 item 9 above 0)."""
    return score_result(version, answers).flags
