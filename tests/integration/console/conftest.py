"""Operators for the console and platform API tests, made in `public` inside each test's
transaction, and browsers on the platform host at each stage of signing in."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import User, UserKind
from shared_apps.operators.services import operator_api_token_create
from tests.support.console import OPERATOR_EMAIL, OPERATOR_PASSWORD, PLATFORM_HOST, platform


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_user(OPERATOR_EMAIL, OPERATOR_PASSWORD, kind=UserKind.OPERATOR)


@pytest.fixture
def totp_device(operator: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=operator, name="Authenticator app", confirmed=True)


@pytest.fixture
def unverified(operator: User) -> Client:
    """Signed in with the password, not through 2FA."""
    http = platform()
    http.force_login(operator)
    return http


@pytest.fixture
def console(operator: User, totp_device: TOTPDevice) -> Client:
    """Signed in and through 2FA."""
    http = platform()
    http.force_login(operator)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = totp_device.persistent_id
    session.save()
    return http


@pytest.fixture
def api_token(operator: User) -> str:
    _row, token = operator_api_token_create(operator=operator, name="tests")
    return token


@pytest.fixture
def api(api_token: str) -> Client:
    return Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Bearer {api_token}")
