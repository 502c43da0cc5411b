"""What a person needs to add a TOTP device to an authenticator app: the key, the otpauth URI and
its QR code (an SVG drawn on the server: the CSP allows `data:` images, no script is needed)."""

from __future__ import annotations

import base64
import io
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg


def totp_setup_context(device: Any, *, issuer: str, account: str) -> dict[str, str]:
    """`secret`, `otpauth_uri` and `qr_svg_data_uri` for a django-otp TOTPDevice."""
    secret = base64.b32encode(device.bin_key).decode()
    issuer = issuer.replace(":", "")
    params = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    uri = f"otpauth://totp/{quote(issuer)}:{quote(account)}?{params}"
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    qr = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return {"secret": secret, "otpauth_uri": uri, "qr_svg_data_uri": qr}
