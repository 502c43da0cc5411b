"""Isolation cases for staff API tokens."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tenant_apps.accounts.models import StaffApiToken
from tests.cast import Cast
from tests.support.isolation import cookie_carried


def _a_session_on_b(cast: Cast) -> tuple[Client, Client]:
    on_a = cast.a.signed_in(cast.a.owner)
    return on_a, cookie_carried(on_a, cast.b)


def api_tokens(cast: Cast) -> None:
    _, on_b = _a_session_on_b(cast)
    assert on_b.post("/staff/profile/api-tokens/", {"name": "x"}).status_code == 302  # sign-in
    with cast.b.schema():
        assert not StaffApiToken.objects.exists()
    with cast.a.schema():
        assert not StaffApiToken.objects.exists()


def api_token_revoke(cast: Cast) -> None:
    on_a, _ = _a_session_on_b(cast)
    on_a.post("/staff/profile/api-tokens/", {"name": "a's token"})
    with cast.a.schema():
        token_id = StaffApiToken.objects.get().pk
    b_owner = cast.b.signed_in(cast.b.owner)
    assert b_owner.post(f"/staff/profile/api-tokens/{token_id}/revoke/").status_code == 404
    with cast.a.schema():
        assert StaffApiToken.objects.get().revoked_at is None


CASES: dict[str, Callable[[Cast], None]] = {
    "accounts:api-tokens": api_tokens,
    "accounts:api-token-revoke": api_token_revoke,
}
