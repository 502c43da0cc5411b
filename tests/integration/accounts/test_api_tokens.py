"""Staff API tokens: shown once, stored hashed, work only at their own practice, revocable."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tenant_apps.accounts.models import StaffApiToken
from tenant_apps.audit.models import AuditEntry
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _create(cast: Cast) -> str:
    page = cast.a.signed_in(cast.a.owner).post("/staff/profile/api-tokens/", {"name": "exports"})
    assert page.status_code == 200
    [raw] = re.findall(r"ppt_[\w-]{40,}", page.content.decode())
    return raw


def _bearer(host: str, raw: str) -> Client:
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_calls_the_api_as_its_owner_and_is_stored_only_hashed(cast: Cast) -> None:
    raw = _create(cast)
    me = _bearer(cast.a.host, raw).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == cast.a.owner.email
    with cast.a.schema():
        token = StaffApiToken.objects.get()
        assert raw not in token.token_sha256
        assert token.last_used_at is not None
        assert AuditEntry.objects.filter(action="api_token.created").exists()


# DRF answers 403 rather than 401 because session authentication comes first (it sends no
# WWW-Authenticate challenge); the body says why.
REFUSED = {"detail": "This API token is not valid."}


def test_a_token_of_practice_a_is_refused_on_practice_b(cast: Cast) -> None:
    raw = _create(cast)
    for path in ("/api/v1/me/", "/api/v1/clients/"):
        response = _bearer(cast.b.host, raw).get(path)
        assert (response.status_code, response.json()) == (403, REFUSED)


def test_a_revoked_or_made_up_token_is_refused(cast: Cast) -> None:
    raw = _create(cast)
    with cast.a.schema():
        token_id = StaffApiToken.objects.get().pk
    owner = cast.a.signed_in(cast.a.owner)
    assert owner.post(f"/staff/profile/api-tokens/{token_id}/revoke/").status_code == 302
    for token in (raw, "ppt_made-up"):
        response = _bearer(cast.a.host, token).get("/api/v1/me/")
        assert (response.status_code, response.json()) == (403, REFUSED)
    assert owner.post(f"/staff/profile/api-tokens/{token_id}/revoke/").status_code == 404


def test_clients_cannot_make_tokens_and_staff_cannot_revoke_each_others(cast: Cast) -> None:
    assert cast.a.signed_in(cast.a.client_user).get("/staff/profile/api-tokens/").status_code == 403
    _create(cast)
    with cast.a.schema():
        token_id = StaffApiToken.objects.get().pk
    clinician = cast.a.signed_in(cast.a.clinician)  # type: ignore[arg-type]
    assert clinician.post(f"/staff/profile/api-tokens/{token_id}/revoke/").status_code == 404
    with cast.a.schema():
        assert StaffApiToken.objects.get().revoked_at is None
