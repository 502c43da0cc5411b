"""The platform host and its operator, for the console and platform API tests."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PLATFORM_HOST = "localhost"
OPERATOR_EMAIL = "ops@platform.example.com"
OPERATOR_PASSWORD = "platform-operator-pass-91"


def platform() -> Client:
    return Client(HTTP_HOST=PLATFORM_HOST)


def totp_code(device: TOTPDevice) -> str:
    """The code the operator's app shows right now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"
