"""Templates keep to the Content Security Policy: no inline styles, no script without its nonce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for root in ("shared_apps", "tenant_apps", "provisioning")
    for path in (REPO / root).rglob("templates/**/*.html")
)


def test_templates_are_found() -> None:
    assert len(TEMPLATES) >= 5


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_inline_style_or_unnonced_script(template: Path) -> None:
    source = template.read_text()
    assert not re.search(r"\sstyle\s*=", source), "inline style= is blocked by the CSP"
    assert "<style" not in source, "inline <style> is blocked by the CSP"
    for tag in re.findall(r"<script\b[^>]*>", source):
        assert "src=" in tag or "nonce=" in tag, f"inline script without the CSP nonce: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", source), "inline event handlers are blocked by the CSP"
