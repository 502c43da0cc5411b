"""Operator accounts, their second factor (TOTP, django-otp) and their API tokens.

Operators live in the `public` schema only: every function here refuses to run anywhere else, so
that an operator account or credential can never be written into a practice's schema.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from shared_apps.accounts.models import User, UserKind, normalize_email
from shared_apps.operators.errors import OperatorError
from shared_apps.operators.models import OperatorApiToken
from shared_apps.operators.selectors import API_TOKEN_PREFIX, api_token_digest
from shared_apps.tenancy.db import current_schema_name

TOTP_DEVICE_NAME = "Authenticator app"
# `last_used_at` is written at most this often per token, not on every API call.
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def _require_public_schema() -> None:
    if current_schema_name() != get_public_schema_name():
        raise RuntimeError("Operator accounts and credentials exist in the public schema only.")


# --- Accounts ------------------------------------------------------------------------------------


def operator_create(
    *, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create an operator account in `public`.

    Raises django's ValidationError if the password fails AUTH_PASSWORD_VALIDATORS or the email
    is malformed, and OperatorError if an account with this email already exists.
    """
    _require_public_schema()
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise OperatorError("An account with this email already exists.")
    candidate = User(
        email=email, kind=UserKind.OPERATOR, first_name=first_name, last_name=last_name
    )
    validate_password(password, user=candidate)
    return User.objects.create_user(
        email, password, kind=UserKind.OPERATOR, first_name=first_name, last_name=last_name
    )


# --- Second factor -------------------------------------------------------------------------------


def operator_has_totp(*, operator: User) -> bool:
    """Whether the operator has finished enrolling an authenticator app."""
    return TOTPDevice.objects.filter(user=operator, confirmed=True).exists()


def operator_totp_enrolment_start(*, operator: User) -> TOTPDevice:
    """The operator's unconfirmed TOTP device, made on first call and the same on every later call
    (so reloading the page shows the same QR code). Raises OperatorError once a device is
    confirmed: a second factor is never replaced from a signed-in session."""
    _require_public_schema()
    if operator_has_totp(operator=operator):
        raise OperatorError("An authenticator app is already set up for this account.")
    device = TOTPDevice.objects.filter(user=operator, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=operator, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def operator_totp_enrolment_confirm(*, operator: User, token: str) -> TOTPDevice | None:
    """Confirm the unconfirmed device with a code from the app; the device, or None if the code
    is wrong (failures are throttled by django-otp, exponentially)."""
    _require_public_schema()
    with transaction.atomic(durable=True):
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=operator, confirmed=False)
            .order_by("id")
            .first()
        )
        if device is None or not device.verify_token(_normalize_token(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def operator_totp_verify(*, operator: User, token: str) -> Device | None:
    """The confirmed device that accepts `token`, or None. A code is accepted once only."""
    _require_public_schema()
    device: Device | None = match_token(operator, _normalize_token(token))
    return device


def _normalize_token(token: str) -> str:
    return "".join(token.split())


# --- API tokens ----------------------------------------------------------------------------------


def operator_api_token_create(*, operator: User, name: str) -> tuple[OperatorApiToken, str]:
    """Make an API token for `operator`; return the row and the token, which is stored only as
    its SHA-256 and cannot be shown again. Raises OperatorError for a non-operator, an inactive
    account, or a live token of the same name."""
    _require_public_schema()
    if not operator.is_operator or not operator.is_active:
        raise OperatorError("API tokens are for active operator accounts only.")
    name = name.strip()
    if not name:
        raise OperatorError("Give the token a name that says what it is for.")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic(durable=True):
            row = OperatorApiToken.objects.create(
                operator=operator, name=name, token_sha256=api_token_digest(token)
            )
    except IntegrityError as error:
        raise OperatorError(
            f"This operator already has a live token named “{name}”. Revoke it first."
        ) from error
    return row, token


def operator_api_token_revoke(*, operator: User, name: str) -> int:
    """Revoke the operator's live token(s) called `name`; return how many. Idempotent."""
    _require_public_schema()
    return OperatorApiToken.objects.filter(
        operator=operator, name=name.strip(), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def operator_api_token_touch(*, token: OperatorApiToken) -> None:
    """Record that the token was used (at most once a minute, to keep API reads read-only)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < _TOKEN_TOUCH_INTERVAL:
        return
    OperatorApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
