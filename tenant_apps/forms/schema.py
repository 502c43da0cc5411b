"""The shape of a form version's questions (`FormVersion.fields`): the field types, what each kind
of type takes, and the typed description of one field. Pure: no database.

A stored field is JSON and may come from an older version of this code, so it is read through
`field_type` (None for a type this code does not know) rather than trusted as a `FieldSpec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from django.db import models


class FieldType(models.TextChoices):
    """The kinds of field a version's `fields` list holds (the `type` of each field)."""

    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    DATE = "date", "Date"
    NUMBER = "number", "Number"
    SCALE = "scale", "Scale"
    YES_NO = "yes_no", "Yes / no"
    HEADING = "heading", "Heading or instructions"
    SIGNATURE = "signature", "Signature"


# Fields whose options staff type (one per line in the builder).
CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE})
# Fields answered by picking one option (a yes/no has its two options built in).
SINGLE_OPTION_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.YES_NO})
# Fields answered by picking among options.
OPTION_TYPES = CHOICE_TYPES | SINGLE_OPTION_TYPES
# Fields shown as a group of choices with a legend.
GROUPED_TYPES = OPTION_TYPES | {FieldType.SCALE}
# Fields with a minimum and a maximum.
RANGE_TYPES = frozenset({FieldType.NUMBER, FieldType.SCALE})
TEXT_TYPES = frozenset({FieldType.SHORT_TEXT, FieldType.LONG_TEXT})
# Fields that take no answer of their own (a signature is captured as signature evidence).
NON_ANSWER_TYPES = frozenset({FieldType.HEADING, FieldType.SIGNATURE})
ANSWER_TYPES = frozenset(FieldType) - NON_ANSWER_TYPES


class FieldOption(TypedDict):
    """One option of a choice field; `score` counts towards the version's scoring."""

    value: str
    label: str
    score: int | None


class FieldSpec(TypedDict):
    """One field as a version stores it (what `form_fields_clean` returns). `type` holds a
    `FieldType` value; `options` only for choice fields, `min`/`max` only for range fields."""

    key: str
    type: str
    label: str
    help: str
    required: bool
    options: list[FieldOption]
    min: int | None
    max: int | None


def field_type(spec: Mapping[str, Any]) -> FieldType | None:
    """The type of a stored field, None when it holds no type this code knows."""
    try:
        return FieldType(str(spec.get("type", "")))
    except ValueError:
        return None
