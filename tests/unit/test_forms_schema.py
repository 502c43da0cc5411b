"""A form version's fields without a database: reading a stored type, the type families, and the
builder's validation of a field list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.forms.schema import (
    ANSWER_TYPES,
    CHOICE_TYPES,
    NON_ANSWER_TYPES,
    FieldType,
    field_type,
)
from tenant_apps.forms.validation import form_fields_clean


def test_a_stored_type_reads_as_a_field_type_and_an_unknown_one_as_none() -> None:
    assert field_type({"type": "yes_no"}) is FieldType.YES_NO
    assert field_type({"type": "slider"}) is None
    assert field_type({}) is None


def test_every_type_either_takes_an_answer_or_does_not() -> None:
    assert frozenset(FieldType) == ANSWER_TYPES | NON_ANSWER_TYPES
    assert not ANSWER_TYPES & NON_ANSWER_TYPES
    assert "heading" in NON_ANSWER_TYPES
    assert "signature" in NON_ANSWER_TYPES
    assert CHOICE_TYPES <= ANSWER_TYPES


def test_a_clean_field_list_is_normalised() -> None:
    clean = form_fields_clean(
        [
            {"key": "intro", "type": "heading", "label": " Hello ", "required": True},
            {
                "key": "mood",
                "type": "single_choice",
                "label": "Mood",
                "options": [{"value": "o1", "label": "Good"}],
            },
            {"key": "pain", "type": "scale", "label": "Pain", "min": "0", "max": "10"},
        ]
    )
    assert clean == [
        {
            "key": "intro",
            "type": "heading",
            "label": "Hello",
            "help": "",
            "required": False,  # a heading asks nothing
            "options": [],
            "min": None,
            "max": None,
        },
        {
            "key": "mood",
            "type": "single_choice",
            "label": "Mood",
            "help": "",
            "required": False,
            "options": [{"value": "o1", "label": "Good", "score": None}],
            "min": None,
            "max": None,
        },
        {
            "key": "pain",
            "type": "scale",
            "label": "Pain",
            "help": "",
            "required": False,
            "options": [],
            "min": 0,
            "max": 10,
        },
    ]


def test_each_problem_is_named_by_the_questions_position() -> None:
    with pytest.raises(ValidationError) as refused:
        form_fields_clean(
            [
                {"key": "a", "type": "slider", "label": "A"},
                {"key": "b", "type": "single_choice", "label": "B", "options": []},
                {"key": "c", "type": "scale", "label": "C", "min": 5, "max": 1},
                {"key": "s1", "type": "signature", "label": "Sign"},
                {"key": "s2", "type": "signature", "label": "Sign again"},
            ]
        )
    assert refused.value.messages == [
        "Question 1: choose a question type.",
        "Question 2: a choice question needs at least one option (one per line).",
        "Question 3: the minimum must be less than the maximum.",
        "A form can have only one signature.",
    ]
