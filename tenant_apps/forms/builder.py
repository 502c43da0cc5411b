"""The builder page's posted data ↔ a version's field list, and the edit operations (add, remove,
move up/down) the page's buttons ask for. Pure: no database.

The page posts one row per question as `f-<i>-<attr>` plus `count`; the button pressed is `op`:
`save`, `add`, `up-<i>`, `down-<i>` or `remove-<i>`. Every op but `save` only re-renders the page
with the change, so nothing is saved until the person says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from tenant_apps.forms.schema import CHOICE_TYPES, RANGE_TYPES, FieldType

MAX_POSTED_ROWS = 250
_ATTRS = ("key", "type", "label", "help", "required", "options", "min", "max")


def field_key_from_label(label: str, taken: set[str]) -> str:
    """A stable slug key for a new field, unique among `taken` (which it joins)."""
    base = slugify(label).replace("-", "_")[:40].strip("_") or "field"
    if not base[0].isalpha():
        base = f"f_{base}"
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    taken.add(key)
    return key


def options_from_lines(text: str, previous: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Options typed one per line. An option whose label matches one of `previous` keeps its
    value and score (so editing a scored form's wording elsewhere never re-scores it, and stored
    answers keep pointing at the same option); a new one gets a fresh value `oN`."""
    by_label = {str(o.get("label", "")).strip().casefold(): o for o in previous}
    used = {str(o.get("value")) for o in previous}
    options: list[dict[str, Any]] = []
    n = 1
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        kept = by_label.get(label.casefold())
        if kept is not None:
            options.append(
                {"value": str(kept["value"]), "label": label, "score": kept.get("score")}
            )
            continue
        while f"o{n}" in used:
            n += 1
        used.add(f"o{n}")
        options.append({"value": f"o{n}", "label": label, "score": None})
    return options


@dataclass
class BuilderRow:
    """One question as the page shows it (options as lines)."""

    key: str = ""
    type: str = FieldType.SHORT_TEXT
    label: str = ""
    help: str = ""
    required: bool = False
    options: str = ""
    min: str = ""
    max: str = ""

    @property
    def has_options(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def has_range(self) -> bool:
        return self.type in RANGE_TYPES


def rows_from_fields(fields: Sequence[Mapping[str, Any]]) -> list[BuilderRow]:
    """A version's fields as page rows."""
    return [
        BuilderRow(
            key=str(f.get("key", "")),
            type=str(f.get("type", FieldType.SHORT_TEXT)),
            label=str(f.get("label", "")),
            help=str(f.get("help", "")),
            required=bool(f.get("required")),
            options="\n".join(str(o.get("label", "")) for o in f.get("options") or []),
            min="" if f.get("min") is None else str(f["min"]),
            max="" if f.get("max") is None else str(f["max"]),
        )
        for f in fields
    ]


def rows_from_post(data: Mapping[str, Any]) -> list[BuilderRow]:
    """The rows posted by the page (at most MAX_POSTED_ROWS; a bad count reads as none)."""
    try:
        count = min(max(int(data.get("count", 0)), 0), MAX_POSTED_ROWS)
    except (TypeError, ValueError):
        count = 0
    rows = []
    for i in range(count):
        values = {attr: data.get(f"f-{i}-{attr}") for attr in _ATTRS}
        if values["type"] is None and values["label"] is None:
            continue
        rows.append(
            BuilderRow(
                key=str(values["key"] or "").strip(),
                type=str(values["type"] or FieldType.SHORT_TEXT),
                label=str(values["label"] or ""),
                help=str(values["help"] or ""),
                required=values["required"] in ("on", "true", "1"),
                options=str(values["options"] or ""),
                min=str(values["min"] or "").strip(),
                max=str(values["max"] or "").strip(),
            )
        )
    return rows


def rows_apply(rows: list[BuilderRow], op: str, *, add_type: str = "") -> list[BuilderRow]:
    """Apply one edit button to `rows` (a new list); an unknown op changes nothing."""
    rows = list(rows)
    if op == "add":
        kind = add_type if add_type in FieldType.values else str(FieldType.SHORT_TEXT)
        defaults = ("1", "5") if kind == FieldType.SCALE else ("", "")
        rows.append(BuilderRow(type=kind, min=defaults[0], max=defaults[1]))
        return rows
    action, _, index_text = op.partition("-")
    if not index_text.isdigit():
        return rows
    index = int(index_text)
    if not 0 <= index < len(rows):
        return rows
    if action == "remove":
        del rows[index]
    elif action == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif action == "down" and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    return rows


def fields_from_rows(
    rows: Sequence[BuilderRow], previous: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """The field dicts to save (validated later by `form_fields_clean`). A row without a key
    (a new question) gets one from its label; options keep the value and score of the previous
    version's option with the same label (see `options_from_lines`)."""
    previous_by_key = {str(f.get("key")): f for f in previous}
    taken = {row.key for row in rows if row.key}
    fields = []
    for row in rows:
        key = row.key or field_key_from_label(row.label, taken)
        old_options = (previous_by_key.get(key) or {}).get("options") or []
        fields.append(
            {
                "key": key,
                "type": row.type,
                "label": row.label,
                "help": row.help,
                "required": row.required,
                "options": options_from_lines(row.options, old_options)
                if row.type in CHOICE_TYPES
                else [],
                "min": row.min or None,
                "max": row.max or None,
            }
        )
    return fields
