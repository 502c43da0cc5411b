"""Templates decide nothing about who may see what: views (and the `viewer` context processor)
pass flags, so a role rule lives in Python where it is tested, once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROLE_CHECK = re.compile(
    r"\{%[^%]*\b(?:\w+\.role\b|\w+\.kind\b|is_practice_staff|is_client|get_role_display\s*==)"
)


def role_checks_in(text: str) -> list[str]:
    return [match.group(0) for match in ROLE_CHECK.finditer(text)]


def test_the_check_finds_a_role_comparison() -> None:
    assert role_checks_in('{% if user.role == "owner" %}x{% endif %}')
    assert role_checks_in("{% if user.is_practice_staff %}x{% endif %}")
    assert role_checks_in('{% if member.kind == "client" %}x{% endif %}')
    assert not role_checks_in("{% if manages_practice %}x{% endif %}")
    assert not role_checks_in("<td>{{ member.get_role_display }}</td>")


@pytest.mark.parametrize(
    "template",
    sorted(
        path.relative_to(ROOT)
        for top in ("shared_apps", "tenant_apps")
        for path in (ROOT / top).rglob("templates/**/*.html")
    ),
    ids=str,
)
def test_no_template_checks_a_role_or_a_kind(template: Path) -> None:
    assert role_checks_in((ROOT / template).read_text()) == []
