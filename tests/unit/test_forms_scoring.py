"""PHQ-9 and GAD-7 scores, severity bands and the self-harm flag on known answer sets."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tenant_apps.forms.migrations._0002_starter_forms import starter_definitions
from tenant_apps.forms.scoring import score_answers, score_flags, score_result


def _version(key: str) -> Any:
    definition = next(d for d in starter_definitions() if d["starter_key"] == key)
    return SimpleNamespace(fields=definition["fields"], scoring=definition["scoring"])


def _answers(prefix: str, items: int, total: int) -> dict[str, str]:
    """Answers whose item scores add up to `total`, filled from the first item (3 each)."""
    answers = {}
    left = total
    for number in range(1, items + 1):
        value = min(3, left)
        left -= value
        answers[f"{prefix}_{number}"] = str(value)
    assert left == 0
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_total_and_band(total: int, band: str) -> None:
    assert score_answers(_version("phq9"), _answers("phq9", 9, total)) == (total, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_total_and_band(total: int, band: str) -> None:
    assert score_answers(_version("gad7"), _answers("gad7", 7, total)) == (total, band)


def test_phq9_item_9_above_zero_is_flagged_for_staff_even_at_a_minimal_score() -> None:
    answers = {f"phq9_{n}": "0" for n in range(1, 10)}
    assert score_flags(_version("phq9"), answers) == []
    answers["phq9_9"] = "1"
    result = score_result(_version("phq9"), answers)
    assert (result.score, result.band) == (1, "Minimal")
    assert result.flags == ["Self-harm item (item 9) answered above 0"]


def test_an_unanswered_item_gives_no_score() -> None:
    answers = _answers("phq9", 9, 12)
    del answers["phq9_4"]
    assert score_answers(_version("phq9"), answers) == (None, "")


def test_an_unknown_option_value_gives_no_score() -> None:
    answers = _answers("gad7", 7, 3)
    answers["gad7_7"] = "7"
    assert score_answers(_version("gad7"), answers) == (None, "")


def test_an_unscored_form_has_no_score() -> None:
    assert score_answers(_version("intake"), {"reason": "x"}) == (None, "")


def test_starter_wording_uses_the_standard_answer_options() -> None:
    phq9 = _version("phq9")
    items = [f for f in phq9.fields if f["key"].startswith("phq9_")]
    assert len(items) == 9
    assert [o["label"] for o in items[0]["options"]] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert [o["score"] for o in items[0]["options"]] == [0, 1, 2, 3]
    assert len([f for f in _version("gad7").fields if f["key"].startswith("gad7_")]) == 7
