"""Reading and checking what a client gives to sign a form: a typed full name plus either a drawn
signature (a PNG data URL made by the signature pad) or the confirmation that the typed name is
their signature (the keyboard-accessible alternative). Pure functions, no database.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from tenant_apps.forms.filling import PostedData

TYPED_NAME_INPUT = "signature-typed-name"
DRAWN_INPUT = "signature-drawn"
CONFIRM_INPUT = "signature-confirm"

TYPED_NAME_MAX = 200
DRAWN_MAX_BYTES = 200_000
DRAWN_MAX_SIDE = 2_000
_DATA_URL_PREFIX = "data:image/png;base64,"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class SignatureInput:
    """A signature as given: the typed name and the drawn PNG as a data URL ("" when the
    client confirmed the typed name instead)."""

    typed_name: str
    drawn_signature: str
    confirmed_typed_name: bool


def png_data_url_valid(data_url: str) -> bool:  # noqa: PLR0911 - one exit per check
    """A PNG data URL of a real, reasonably sized image (decoded and checked by Pillow): what
    the signature pad makes, and nothing else that could be embedded later in a PDF."""
    if not data_url.startswith(_DATA_URL_PREFIX):
        return False
    encoded = data_url[len(_DATA_URL_PREFIX) :]
    if len(encoded) > DRAWN_MAX_BYTES * 4 // 3 + 4:
        return False
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not raw.startswith(_PNG_MAGIC) or len(raw) > DRAWN_MAX_BYTES:
        return False
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG":
                return False
            width, height = image.size
            if not (0 < width <= DRAWN_MAX_SIDE and 0 < height <= DRAWN_MAX_SIDE):
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True


def png_bytes(data_url: str) -> bytes:
    """The PNG inside a data URL already checked by `png_data_url_valid`."""
    return base64.b64decode(data_url[len(_DATA_URL_PREFIX) :])


def signature_from_post(data: PostedData) -> tuple[SignatureInput | None, dict[str, str]]:
    """(the signature, {} ) or (None, {input name: message}). Nothing given at all answers
    (None, {}): the caller decides whether a signature was required."""
    typed = " ".join((data.getlist(TYPED_NAME_INPUT) or [""])[0].split())
    drawn = (data.getlist(DRAWN_INPUT) or [""])[0].strip()
    confirmed = bool((data.getlist(CONFIRM_INPUT) or [""])[0])
    if not typed and not drawn and not confirmed:
        return None, {}
    errors: dict[str, str] = {}
    if not typed:
        errors[TYPED_NAME_INPUT] = "Type your full name to sign."
    elif len(typed) > TYPED_NAME_MAX:
        errors[TYPED_NAME_INPUT] = f"Keep your name under {TYPED_NAME_MAX} characters."
    if drawn and not png_data_url_valid(drawn):
        errors[DRAWN_INPUT] = "The drawn signature could not be read. Clear it and draw it again."
    elif not drawn and not confirmed:
        errors[CONFIRM_INPUT] = (
            "Draw your signature, or tick the box to confirm your typed name as your signature."
        )
    if errors:
        return None, errors
    return SignatureInput(
        typed_name=typed, drawn_signature=drawn, confirmed_typed_name=confirmed
    ), {}
