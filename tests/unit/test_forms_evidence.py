"""The signed document's fingerprint (canonical JSON + SHA-256) and reading a signature from a
posted form: pure functions, no database."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from django.utils.datastructures import MultiValueDict
from PIL import Image

from tenant_apps.forms.evidence import (
    answers_intact,
    answers_sha256,
    canonical_document,
    canonical_json,
)
from tenant_apps.forms.signing import (
    CONFIRM_INPUT,
    DRAWN_INPUT,
    TYPED_NAME_INPUT,
    TYPED_NAME_MAX,
    SignatureInput,
    png_bytes,
    png_data_url_valid,
    signature_from_post,
)


def _png_data_url(width: int = 40, height: int = 20, image_format: str = "PNG") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format=image_format)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_unicode() -> None:
    document = canonical_document(
        form_id=7, version_id=9, answers={"b": "Zoë 東京", "a": [2, 1], "c": {"y": 1, "x": 2.5}}
    )
    encoded = canonical_json(document)
    assert (
        encoded
        == (
            '{"answers":{"a":[2,1],"b":"Zoë 東京","c":{"x":2.5,"y":1}},'
            '"form_id":7,"format":"portico-answers-v1","version_id":9}'
        ).encode()
    )
    assert answers_sha256(form_id=7, version_id=9, answers=document["answers"]) == (
        hashlib.sha256(encoded).hexdigest()
    )
    # The form and version are part of what is signed.
    assert answers_sha256(form_id=7, version_id=10, answers=document["answers"]) != (
        hashlib.sha256(encoded).hexdigest()
    )


def test_answers_intact_matches_only_the_same_answers_form_and_version() -> None:
    answers = {"mood": "low", "sleep": 3}
    recorded = answers_sha256(form_id=1, version_id=2, answers=answers)
    assert answers_intact(expected_sha256=recorded, form_id=1, version_id=2, answers=answers)
    assert not answers_intact(
        expected_sha256=recorded, form_id=1, version_id=2, answers={**answers, "sleep": 4}
    )
    assert not answers_intact(expected_sha256=recorded, form_id=1, version_id=3, answers=answers)


def test_answers_json_cannot_represent_never_match() -> None:
    recorded = answers_sha256(form_id=1, version_id=2, answers={"n": 1})
    assert not answers_intact(
        expected_sha256=recorded, form_id=1, version_id=2, answers={"n": float("nan")}
    )
    with pytest.raises(ValueError, match="Out of range float"):
        canonical_json({"n": float("inf")})


def test_a_drawn_png_is_accepted_and_read_back() -> None:
    data_url = _png_data_url()
    assert png_data_url_valid(data_url)
    assert png_bytes(data_url).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    "data_url",
    [
        "data:image/jpeg;base64,AAAA",  # not the pad's PNG data URL
        "data:image/png;base64,not base64!",
        "data:image/png;base64," + base64.b64encode(b"GIF89a" + b"\x00" * 20).decode(),
        _png_data_url(width=2001, height=10),  # larger than the pad ever draws
    ],
    ids=["jpeg-prefix", "bad-base64", "not-png", "too-wide"],
)
def test_anything_but_a_reasonable_png_is_refused(data_url: str) -> None:
    assert not png_data_url_valid(data_url)


def _posted(**values: str) -> MultiValueDict[str, str]:
    return MultiValueDict({name: [value] for name, value in values.items()})


def test_nothing_posted_is_no_signature_and_no_error() -> None:
    assert signature_from_post(_posted()) == (None, {})


def test_a_typed_name_with_a_drawing_or_a_confirmation_signs() -> None:
    drawn = _png_data_url()
    posted = _posted(**{TYPED_NAME_INPUT: "  Jo   Lee ", DRAWN_INPUT: drawn})
    assert signature_from_post(posted) == (
        SignatureInput(typed_name="Jo Lee", drawn_signature=drawn, confirmed_typed_name=False),
        {},
    )
    assert signature_from_post(_posted(**{TYPED_NAME_INPUT: "Jo Lee", CONFIRM_INPUT: "on"})) == (
        SignatureInput(typed_name="Jo Lee", drawn_signature="", confirmed_typed_name=True),
        {},
    )


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({CONFIRM_INPUT: "on"}, TYPED_NAME_INPUT),
        ({TYPED_NAME_INPUT: "x" * (TYPED_NAME_MAX + 1), CONFIRM_INPUT: "on"}, TYPED_NAME_INPUT),
        ({TYPED_NAME_INPUT: "Jo Lee"}, CONFIRM_INPUT),
        ({TYPED_NAME_INPUT: "Jo Lee", DRAWN_INPUT: "data:image/png;base64,AAAA"}, DRAWN_INPUT),
    ],
    ids=["no-name", "name-too-long", "neither-drawn-nor-confirmed", "unreadable-drawing"],
)
def test_an_incomplete_signature_names_the_input_to_fix(posted: dict[str, str], field: str) -> None:
    signature, errors = signature_from_post(_posted(**posted))
    assert signature is None
    assert list(errors) == [field]
