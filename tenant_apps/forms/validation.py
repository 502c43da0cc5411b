"""Checking a form before it is saved: its title and its list of questions (`form_fields_clean`),
with one sentence per problem for the person who built it. Pure: no database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from tenant_apps.forms.schema import (
    CHOICE_TYPES,
    RANGE_TYPES,
    FieldOption,
    FieldSpec,
    FieldType,
    field_type,
)

MAX_FIELDS = 200
MAX_OPTIONS = 100
MAX_TITLE = 200
MAX_LABEL = 500
MAX_HELP = 4000
MAX_OPTION_LABEL = 200
SCALE_MAX_STEPS = 100
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def form_title_clean(title: str) -> str:
    """`title` trimmed; ValidationError (under `title`) when empty or too long."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": ["The form needs a title."]})
    if len(title) > MAX_TITLE:
        raise ValidationError({"title": [f"The title can be at most {MAX_TITLE} characters."]})
    return title


def _int_or_none(value: Any, *, where: str, errors: list[str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.append(f"{where}: minimum and maximum must be whole numbers.")
        return None


def form_fields_clean(
    fields: Sequence[dict[str, Any]], *, scoring: dict[str, Any] | None = None
) -> list[FieldSpec]:
    """Validate and normalise a version's field list (see `FormVersion`). Returns the clean list;
    raises ValidationError with one clear sentence per problem, naming the question by position
    (“Question 3”): duplicate keys, unknown types, missing labels, choice fields without options
    or with duplicate options, ranges whose minimum is not below their maximum, more than one
    signature, and scored questions that were removed or are no longer choices."""
    errors: list[str] = []
    if not fields:
        errors.append("Add at least one question.")
    if len(fields) > MAX_FIELDS:
        errors.append(f"A form can have at most {MAX_FIELDS} questions.")
    clean: list[FieldSpec] = []
    seen: set[str] = set()
    for position, raw in enumerate(fields, 1):
        item = _field_clean(raw, where=f"Question {position}", seen=seen, errors=errors)
        if item is not None:
            clean.append(item)
    signatures = sum(1 for item in clean if item["type"] == FieldType.SIGNATURE)
    if signatures > 1:
        errors.append("A form can have only one signature.")
    if scoring:
        by_key = {item["key"]: item for item in clean}
        for key in scoring.get("keys", []):
            scored = by_key.get(key)
            if scored is None or scored["type"] != FieldType.SINGLE_CHOICE:
                errors.append(
                    f"This form is scored: the scored question “{key}” must stay, as a single"
                    " choice."
                )
    if errors:
        raise ValidationError(errors)
    return clean


def _field_clean(
    raw: dict[str, Any], *, where: str, seen: set[str], errors: list[str]
) -> FieldSpec | None:
    """One field of `form_fields_clean`: problems are appended to `errors`; None for a field
    whose type is unknown (nothing else can be checked)."""
    type_ = field_type(raw)
    key = str(raw.get("key") or "").strip()
    label = str(raw.get("label") or "").strip()
    help_text = str(raw.get("help") or "").strip()
    if type_ is None:
        errors.append(f"{where}: choose a question type.")
        return None
    if not _KEY_RE.match(key):
        errors.append(
            f"{where}: the key must start with a letter and use only lower-case letters,"
            " digits and underscores."
        )
    elif key in seen:
        errors.append(f"{where}: the key “{key}” is used by another question.")
    seen.add(key)
    if not label:
        errors.append(f"{where}: the question needs a label.")
    elif len(label) > MAX_LABEL:
        errors.append(f"{where}: the label can be at most {MAX_LABEL} characters.")
    if len(help_text) > MAX_HELP:
        errors.append(f"{where}: the help text can be at most {MAX_HELP} characters.")
    item: FieldSpec = {
        "key": key,
        "type": type_.value,
        "label": label,
        "help": help_text,
        "required": bool(raw.get("required")) and type_ != FieldType.HEADING,
        "options": [],
        "min": None,
        "max": None,
    }
    if type_ in CHOICE_TYPES:
        item["options"] = _options_clean(raw.get("options") or [], where=where, errors=errors)
    if type_ in RANGE_TYPES:
        item["min"], item["max"] = _range_clean(raw, type_=type_, where=where, errors=errors)
    return item


def _range_clean(
    raw: dict[str, Any], *, type_: FieldType, where: str, errors: list[str]
) -> tuple[int | None, int | None]:
    minimum = _int_or_none(raw.get("min"), where=where, errors=errors)
    maximum = _int_or_none(raw.get("max"), where=where, errors=errors)
    if type_ == FieldType.SCALE and (minimum is None or maximum is None):
        errors.append(f"{where}: a scale needs a minimum and a maximum.")
    elif minimum is not None and maximum is not None:
        if minimum >= maximum:
            errors.append(f"{where}: the minimum must be less than the maximum.")
        elif type_ == FieldType.SCALE and maximum - minimum > SCALE_MAX_STEPS:
            errors.append(f"{where}: a scale can have at most {SCALE_MAX_STEPS} steps.")
    return minimum, maximum


def _options_clean(options: Iterable[Any], *, where: str, errors: list[str]) -> list[FieldOption]:
    clean: list[FieldOption] = []
    values: set[str] = set()
    labels: set[str] = set()
    for option in options:
        label = str(option.get("label") or "").strip()
        value = str(option.get("value") or "").strip()
        if not label:
            continue
        if len(label) > MAX_OPTION_LABEL:
            errors.append(f"{where}: an option can be at most {MAX_OPTION_LABEL} characters.")
        if label.casefold() in labels:
            errors.append(f"{where}: the option “{label}” is listed twice.")
        labels.add(label.casefold())
        if not value or value in values:
            errors.append(f"{where}: every option needs its own value.")
        values.add(value)
        score = option.get("score")
        clean.append(
            {"value": value, "label": label, "score": int(score) if score is not None else None}
        )
    if not clean:
        errors.append(f"{where}: a choice question needs at least one option (one per line).")
    if len(clean) > MAX_OPTIONS:
        errors.append(f"{where}: a question can have at most {MAX_OPTIONS} options.")
    return clean
