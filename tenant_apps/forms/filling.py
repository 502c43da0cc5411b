"""Filling a form version: reading a client's answers from a posted form, validating them, and
presenting fields and answers. Pure functions over a version's field dicts (no database).

Two shapes of answers:
- a **draft** holds what the client typed so far, unvalidated, so a reload shows it again:
  `{key: str}` (a list of str for multiple choice); blank answers are left out.
- a **submitted** answer set is validated and typed (see `answers_validate`); it is what the
  signature hash covers (evidence.py) and what scoring reads.

Inputs are named `a-<key>`, so no field key can collide with the CSRF token or the signature
inputs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from tenant_apps.forms.schema import (
    ANSWER_TYPES,
    GROUPED_TYPES,
    OPTION_TYPES,
    SINGLE_OPTION_TYPES,
    TEXT_TYPES,
    FieldType,
    field_type,
)

INPUT_PREFIX = "a-"
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
DEFAULT_SCALE = (0, 10)
YES_NO_OPTIONS = (("yes", "Yes"), ("no", "No"))
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Answers = dict[str, Any]


class PostedData(Protocol):
    """What a `QueryDict` offers (a dict of lists also works through `get_list`)."""

    def getlist(self, key: str) -> list[str]: ...


def _type_text(spec: Mapping[str, Any]) -> str:
    """The stored type as text, for templates (an unknown one is kept as it was)."""
    return str(spec.get("type", ""))


def answer_fields(fields: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The fields that take an answer (not headings, not the signature)."""
    return [spec for spec in fields if field_type(spec) in ANSWER_TYPES and spec.get("key")]


def has_signature(fields: Sequence[Mapping[str, Any]]) -> bool:
    return any(field_type(spec) == FieldType.SIGNATURE for spec in fields)


def signature_required(fields: Sequence[Mapping[str, Any]]) -> bool:
    """A signature field asks for a signature unless it is explicitly marked optional."""
    return any(
        field_type(spec) == FieldType.SIGNATURE and spec.get("required", True) is not False
        for spec in fields
    )


def _options(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    if field_type(spec) == FieldType.YES_NO:
        return list(YES_NO_OPTIONS)
    return [
        (str(option.get("value", "")), str(option.get("label", option.get("value", ""))))
        for option in spec.get("options") or []
    ]


def scale_bounds(spec: Mapping[str, Any]) -> tuple[int, int]:
    low = spec.get("min")
    high = spec.get("max")
    low = DEFAULT_SCALE[0] if low is None else int(low)
    high = DEFAULT_SCALE[1] if high is None else int(high)
    return low, high


def _text_limit(spec: Mapping[str, Any]) -> int:
    return LONG_TEXT_MAX if field_type(spec) == FieldType.LONG_TEXT else SHORT_TEXT_MAX


# --- Reading a posted form ------------------------------------------------------------------------
def draft_from_post(fields: Sequence[Mapping[str, Any]], data: PostedData) -> Answers:
    """The answers as typed, for a draft: only known keys, blank ones left out, text cut at
    twice its limit (a draft is not validated, but is not a place to store megabytes either)."""
    draft: Answers = {}
    for spec in answer_fields(fields):
        key = str(spec["key"])
        values = [value for value in data.getlist(f"{INPUT_PREFIX}{key}") if value.strip()]
        if field_type(spec) == FieldType.MULTIPLE_CHOICE:
            known = {value for value, _ in _options(spec)}
            chosen = [value for value in values if value in known]
            if chosen:
                draft[key] = chosen
        elif values:
            draft[key] = values[0][: _text_limit(spec) * 2]
    return draft


# --- Validating -----------------------------------------------------------------------------------
def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _plain(value: Decimal) -> int | float:
    """A JSON number: an int when whole (so `3` and `3.0` hash alike), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _bound_text(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _validate_one(spec: Mapping[str, Any], raw: Any) -> tuple[Any, str]:  # noqa: PLR0911, PLR0912
    """(clean value or None when unanswered, error message or "")."""
    kind = field_type(spec)
    required = bool(spec.get("required"))
    if kind == FieldType.MULTIPLE_CHOICE:
        chosen = raw if isinstance(raw, list) else ([raw] if isinstance(raw, str) else [])
        chosen = [str(value) for value in chosen if str(value).strip()]
        if not chosen:
            return None, "Choose at least one option." if required else ""
        order = [value for value, _ in _options(spec)]
        if any(value not in order for value in chosen):
            return None, "Choose from the options shown."
        return [value for value in order if value in chosen], ""
    text = raw if isinstance(raw, str) else "" if raw is None else str(raw)
    text = text.strip()
    if not text:
        return None, "This question needs an answer." if required else ""
    if kind in TEXT_TYPES:
        limit = _text_limit(spec)
        if len(text) > limit:
            return None, f"Keep this answer under {limit:,} characters (it has {len(text):,})."
        return text, ""
    if kind in SINGLE_OPTION_TYPES:
        if text not in {value for value, _ in _options(spec)}:
            return None, "Choose one of the options shown."
        return text, ""
    if kind == FieldType.DATE:
        try:
            if not _DATE_RE.match(text):
                raise ValueError(text)
            return date.fromisoformat(text).isoformat(), ""
        except ValueError:
            return None, "Enter a date as YYYY-MM-DD, for example 2024-03-31."
    if kind == FieldType.NUMBER:
        number = _number(text)
        if number is None:
            return None, "Enter a number, for example 12 or 3.5."
        low, high = spec.get("min"), spec.get("max")
        if (low is not None and number < Decimal(str(low))) or (
            high is not None and number > Decimal(str(high))
        ):
            if low is not None and high is not None:
                return None, f"Enter a number from {_bound_text(low)} to {_bound_text(high)}."
            if low is not None:
                return None, f"Enter a number of at least {_bound_text(low)}."
            return None, f"Enter a number of at most {_bound_text(high)}."
        return _plain(number), ""
    if kind == FieldType.SCALE:
        low, high = scale_bounds(spec)
        number = _number(text)
        if number is None or number != number.to_integral_value() or not low <= number <= high:
            return None, f"Choose a whole number from {low} to {high}."
        return int(number), ""
    return None, ""


def answers_validate(
    fields: Sequence[Mapping[str, Any]], raw: Mapping[str, Any]
) -> tuple[Answers, dict[str, str]]:
    """Validate a draft for submission: (typed answers, {key: message}). Unanswered optional
    questions are left out of the answers; the messages say what to fix in plain words."""
    clean: Answers = {}
    errors: dict[str, str] = {}
    for spec in answer_fields(fields):
        key = str(spec["key"])
        value, error = _validate_one(spec, raw.get(key))
        if error:
            errors[key] = error
        elif value is not None:
            clean[key] = value
    return clean, errors


# --- Presenting -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool
    input_id: str


@dataclass(frozen=True)
class FieldView:
    """One field ready for a template: its input name and id, the current value and choices,
    the error to show."""

    key: str
    type: str
    label: str
    help: str
    required: bool
    input_name: str
    input_id: str
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    min: Any = None
    max: Any = None
    error: str = ""

    @property
    def is_grouped(self) -> bool:
        """Rendered as a fieldset with a legend (choices, yes/no, scale)."""
        return self.type in GROUPED_TYPES

    @property
    def described_by(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.input_id}-help")
        if self.error:
            ids.append(f"{self.input_id}-error")
        return " ".join(ids)


def field_views(
    fields: Sequence[Mapping[str, Any]],
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> list[FieldView]:
    """Every field of the version in order (headings and the signature too) with the answer
    shown from `answers` (a draft or a submitted set)."""
    errors = errors or {}
    views: list[FieldView] = []
    for index, spec in enumerate(fields):
        kind = field_type(spec)
        key = str(spec.get("key") or f"field-{index}")
        input_id = f"q{index}"
        raw = answers.get(key)
        selected = (
            {str(value) for value in raw}
            if isinstance(raw, list)
            else ({str(raw)} if raw is not None else set())
        )
        choices: list[Choice] = []
        low, high = spec.get("min"), spec.get("max")
        if kind in OPTION_TYPES:
            choices = [
                Choice(value, label, value in selected, f"{input_id}-{number}")
                for number, (value, label) in enumerate(_options(spec))
            ]
        elif kind == FieldType.SCALE:
            low, high = scale_bounds(spec)
            choices = [
                Choice(str(point), str(point), str(point) in selected, f"{input_id}-{point - low}")
                for point in range(low, high + 1)
            ]
        views.append(
            FieldView(
                key=key,
                type=_type_text(spec),
                label=str(spec.get("label", "")),
                help=str(spec.get("help", "") or ""),
                required=bool(spec.get("required")),
                input_name=f"{INPUT_PREFIX}{key}",
                input_id=input_id,
                value="" if raw is None or isinstance(raw, list) else str(raw),
                choices=choices,
                min=low,
                max=high,
                error=errors.get(key, ""),
            )
        )
    return views


def answer_display(spec: Mapping[str, Any], value: Any) -> str:
    """An answer as a person reads it: option labels rather than values, "Not answered" for
    nothing."""
    if value is None or value in ("", []):
        return "Not answered"
    labels = dict(_options(spec))
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    if field_type(spec) in SINGLE_OPTION_TYPES:
        return labels.get(str(value), str(value))
    if field_type(spec) == FieldType.SCALE:
        low, high = scale_bounds(spec)
        return f"{value} (on a scale from {low} to {high})"
    return str(value)


@dataclass(frozen=True)
class AnswerRow:
    type: str
    label: str
    help: str
    answer: str
    is_answered: bool


def answer_rows(fields: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> list[AnswerRow]:
    """The version's fields with the answers given, for the staff page and the PDF. Headings
    come through (answer ""), the signature field is left to the evidence block."""
    rows: list[AnswerRow] = []
    for spec in fields:
        kind = field_type(spec)
        if kind == FieldType.SIGNATURE:
            continue
        label = str(spec.get("label", ""))
        if kind not in ANSWER_TYPES:
            rows.append(
                AnswerRow(_type_text(spec), label, str(spec.get("help", "") or ""), "", False)
            )
            continue
        value = answers.get(str(spec.get("key", "")))
        rows.append(
            AnswerRow(
                _type_text(spec),
                label,
                "",
                answer_display(spec, value),
                value not in (None, "", []),
            )
        )
    return rows
