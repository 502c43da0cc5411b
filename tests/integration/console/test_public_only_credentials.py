"""Operators' credentials live in `public` only, and nothing done in a practice reaches them.

The user table exists in every practice schema too, and a practice's search_path falls back to
`public`: an ORM cascade started there must never delete an operator's TOTP device or token.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import User, UserKind
from shared_apps.operators.models import OperatorApiToken
from shared_apps.operators.services import operator_api_token_create
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _tables(schema_name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [schema_name],
        )
        return {name for (name,) in cursor.fetchall()}


def test_api_tokens_live_in_public_only_and_each_practice_has_its_own_2fa_devices(
    cast: Cast,
) -> None:
    assert {TOTPDevice._meta.db_table, OperatorApiToken._meta.db_table} <= _tables("public")
    practice_tables = _tables(cast.a.practice.schema_name)
    assert OperatorApiToken._meta.db_table not in practice_tables
    # A practice's own table shadows public's: its users' devices can never be an operator's.
    assert TOTPDevice._meta.db_table in practice_tables


def _practice_user_with_the_pk_of(operator: User, cast: Cast) -> User:
    """A user of practice A whose primary key equals the operator's (made if there is none)."""
    twin = User.objects.filter(pk=operator.pk).first()
    if twin is None:
        twin = User.objects.create_user(
            "twin@a.example.com", None, kind=UserKind.CLIENT, pk=operator.pk
        )
    return twin


def test_deleting_a_practice_user_leaves_the_operator_s_api_tokens_alone(
    cast: Cast, operator: User
) -> None:
    operator_api_token_create(operator=operator, name="ci")
    with cast.a.schema():
        _practice_user_with_the_pk_of(operator, cast).delete()
        assert not User.objects.filter(pk=operator.pk).exists()
    assert OperatorApiToken.objects.filter(operator=operator).count() == 1


def test_deleting_a_practice_user_leaves_the_operator_s_totp_device_alone(
    cast: Cast, operator: User, totp_device: TOTPDevice
) -> None:
    with cast.a.schema():
        _practice_user_with_the_pk_of(operator, cast).delete()
    assert TOTPDevice.objects.filter(pk=totp_device.pk).exists()
