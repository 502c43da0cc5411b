"""The platform API: operator tokens only (hashed, revocable), failing closed for everyone else;
and what it does, through the same provisioning services as the console."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.permissions import AllowAny

from shared_apps.accounts.models import User, UserKind
from shared_apps.operators.api_auth import PlatformApiView
from shared_apps.operators.models import OperatorApiToken
from shared_apps.operators.selectors import api_token_digest
from shared_apps.operators.services import operator_api_token_create, operator_api_token_revoke
from shared_apps.tenancy.models import (
    Domain,
    Practice,
    PracticeEvent,
    PracticeEventKind,
    PracticeStatus,
)
from tests.cast import Cast
from tests.support.console import PLATFORM_HOST
from tests.support.hostile_input import DEEPLY_NESTED_JSON, TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db
PRACTICES = "/api/platform/practices/"


def _bearer(token: str) -> Client:
    return Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Bearer {token}")


def _practice_url(cast: Cast, action: str = "") -> str:
    return f"{PRACTICES}{cast.a.practice.uuid}/{action}"


def _unchanged(cast: Cast) -> tuple[object, ...]:
    return (
        Practice.objects.get(pk=cast.a.practice.pk).status,
        sorted(Domain.objects.values_list("domain", flat=True)),
        PracticeEvent.objects.count(),
        Practice.objects.count(),
    )


def _every_call(cast: Cast, http: Client) -> list[int]:
    return [
        http.get(PRACTICES).status_code,
        http.post(
            PRACTICES, {"name": "X", "subdomain": "xyz-new", "owner_email": "o@x.example.com"}
        ).status_code,
        http.get(_practice_url(cast)).status_code,
        http.post(_practice_url(cast, "suspend/")).status_code,
        http.post(_practice_url(cast, "resume/")).status_code,
        http.post(
            _practice_url(cast, "change-subdomain/"), {"subdomain": "a-elsewhere"}
        ).status_code,
    ]


def test_anonymous_callers_get_401_and_nothing_changes(cast: Cast) -> None:
    before = _unchanged(cast)
    http = Client(HTTP_HOST=PLATFORM_HOST)
    assert _every_call(cast, http) == [401] * 6
    response = http.get(PRACTICES)
    assert response["WWW-Authenticate"] == 'Bearer realm="platform"'
    assert _unchanged(cast) == before


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Bearer pto_not-a-real-token", "Bearer", "Bearer a b", "Token x"]
)
def test_malformed_or_unknown_tokens_get_401(cast: Cast, header: str) -> None:
    http = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=header)
    assert http.get(PRACTICES).status_code == 401


def test_revoked_token_gets_401_and_nothing_changes(cast: Cast, operator: User) -> None:
    _row, token = operator_api_token_create(operator=operator, name="ci")
    assert _bearer(token).get(PRACTICES).status_code == 200
    assert operator_api_token_revoke(operator=operator, name="ci") == 1
    before = _unchanged(cast)
    assert _every_call(cast, _bearer(token)) == [401] * 6
    assert _unchanged(cast) == before


def test_deactivated_operator_s_token_gets_401(cast: Cast, operator: User, api: Client) -> None:
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert api.get(PRACTICES).status_code == 401


def test_a_token_of_a_non_operator_gets_403_and_nothing_changes(cast: Cast) -> None:
    # Such a token cannot be made through the service; if one existed, the API still refuses.
    stray = User.objects.create_user("stray@platform.example.com", None, kind=UserKind.CLIENT)
    token = "pto_" + "s" * 43
    OperatorApiToken.objects.create(
        operator=stray, name="stray", token_sha256=api_token_digest(token)
    )
    before = _unchanged(cast)
    assert _every_call(cast, _bearer(token)) == [403] * 6
    assert _unchanged(cast) == before


def test_practice_staff_session_cookie_gets_401(cast: Cast) -> None:
    on_a = cast.a.signed_in(cast.a.owner)
    http = Client(HTTP_HOST=PLATFORM_HOST)
    http.cookies[settings.SESSION_COOKIE_NAME] = on_a.cookies[settings.SESSION_COOKIE_NAME].value
    before = _unchanged(cast)
    assert _every_call(cast, http) == [401] * 6
    assert _unchanged(cast) == before


def test_a_verified_console_session_is_not_an_api_credential(cast: Cast, console: Client) -> None:
    assert console.get(PRACTICES).status_code == 401


def test_platform_api_is_not_routed_on_a_practice_host(cast: Cast, api_token: str) -> None:
    http = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert http.get(PRACTICES).status_code == 404
    assert http.get("/api/platform/schema/").status_code == 404


def test_token_is_stored_hashed_and_its_use_recorded(cast: Cast, operator: User) -> None:
    row, token = operator_api_token_create(operator=operator, name="terraform")
    assert token.startswith("pto_")
    assert row.token_sha256 == api_token_digest(token)
    assert token not in str(OperatorApiToken.objects.filter(pk=row.pk).values().get())
    assert row.last_used_at is None
    _bearer(token).get(PRACTICES)
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_subclass_cannot_loosen_the_base_view() -> None:
    with pytest.raises(TypeError, match="must not set permission_classes"):

        class Loose(PlatformApiView):
            permission_classes = [AllowAny]

    with pytest.raises(TypeError, match="must not set authentication_classes"):

        class NoAuth(PlatformApiView):
            authentication_classes = []


def test_list_filters_by_status_and_pages(cast: Cast, api: Client) -> None:
    body = api.get(f"{PRACTICES}?search=practice").json()
    assert {"count", "next", "previous", "results"} <= body.keys()
    by_name = {row["name"]: row for row in body["results"]}
    assert {"Practice A", "Practice B"} <= by_name.keys()
    a = by_name["Practice A"]
    assert a["uuid"] == str(cast.a.practice.uuid)
    assert a["status"] == "active"
    assert a["host"] == "a.localhost"
    assert a["portal_url"] == "http://a.localhost/"
    assert a["client_count"] == 1
    assert a["storage_bytes"] == 0
    assert set(a) == {
        "uuid", "name", "status", "time_zone", "created_at", "host", "portal_url",
        "client_count", "last_activity", "storage_bytes",
    }  # fmt: skip

    Practice.objects.filter(pk=cast.b.practice.pk).update(status=PracticeStatus.SUSPENDED)
    cast_names = {"Practice A", "Practice B"}
    suspended = api.get(f"{PRACTICES}?status=suspended").json()["results"]
    assert {row["name"] for row in suspended} & cast_names == {"Practice B"}
    assert {row["status"] for row in suspended} == {"suspended"}
    searched = api.get(f"{PRACTICES}?search=practice a").json()["results"]
    assert {row["name"] for row in searched} & cast_names == {"Practice A"}
    bad = api.get(f"{PRACTICES}?status=nonsense")
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_detail_and_unknown_practice(cast: Cast, api: Client) -> None:
    body = api.get(_practice_url(cast)).json()
    assert body["practice"]["name"] == "Practice A"
    assert body["domains"] == [{"domain": "a.localhost", "is_primary": True, "retired_at": None}]
    assert body["pending_migrations"] == []
    assert body["history"][0]["kind"] == "created"
    missing = api.get(f"{PRACTICES}00000000-0000-4000-8000-000000000000/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No practice with that id."}


def test_suspend_resume_and_change_subdomain(cast: Cast, api: Client, operator: User) -> None:
    suspended = api.post(_practice_url(cast, "suspend/"))
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert cast.a.http().get("/").status_code == 503
    assert api.post(_practice_url(cast, "suspend/")).status_code == 200  # idempotent

    resumed = api.post(_practice_url(cast, "resume/"))
    assert resumed.json()["status"] == "active"
    assert cast.a.http().get("/").status_code == 200

    moved = api.post(
        _practice_url(cast, "change-subdomain/"),
        {"subdomain": "a-api"},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["portal_url"] == "http://a-api.localhost/"
    old = Client(HTTP_HOST="a.localhost").get("/")
    assert (old.status_code, old["Location"]) == (301, "http://a-api.localhost/")

    actors = set(
        PracticeEvent.objects.filter(practice_uuid=cast.a.practice.uuid)
        .exclude(kind=PracticeEventKind.CREATED)
        .values_list("actor", flat=True)
    )
    assert actors == {f"operator:{operator.pk}"}


def test_refusals_are_400_with_a_sentence(cast: Cast, api: Client) -> None:
    reserved = api.post(_practice_url(cast, "change-subdomain/"), {"subdomain": "admin"})
    assert reserved.status_code == 400
    assert reserved.json() == {"subdomain": ["“admin” is reserved. Please choose another address."]}
    taken = api.post(_practice_url(cast, "change-subdomain/"), {"subdomain": "b"})
    assert taken.status_code == 400
    Practice.objects.filter(pk=cast.b.practice.pk).update(status=PracticeStatus.POOLED)
    pooled = api.post(f"{PRACTICES}{cast.b.practice.uuid}/resume/")
    assert pooled.status_code == 400
    assert pooled.json()["detail"].startswith("This practice is pooled")
    missing = api.post(PRACTICES, {"name": "No subdomain"})
    assert missing.status_code == 400
    assert set(missing.json()) == {"subdomain", "owner_email"}


def test_create_provisions_a_practice_with_a_one_time_owner_password(
    cast: Cast, api: Client, operator: User
) -> None:
    response = api.post(
        PRACTICES,
        {
            "name": "Api Practice",
            "subdomain": "api-practice",
            "owner_email": "owner@api-practice.example.com",
            "time_zone": "America/Chicago",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["portal_url"] == "http://api-practice.localhost/"
    assert body["owner_email"] == "owner@api-practice.example.com"
    assert len(body["owner_password"]) >= 12
    practice = Practice.objects.get(uuid=body["uuid"])
    assert practice.time_zone == "America/Chicago"
    with schema_context(practice.schema_name):
        owner = User.objects.get()
        assert owner.check_password(body["owner_password"])
    (claimed,) = PracticeEvent.objects.filter(
        practice_uuid=practice.uuid, kind=PracticeEventKind.CLAIMED
    )
    assert claimed.actor == f"operator:{operator.pk}"
    assert claimed.created_at <= timezone.now()

    again = api.post(
        PRACTICES,
        {"name": "Dup", "subdomain": "api-practice", "owner_email": "o@dup.example.com"},
    )
    assert again.status_code == 400
    assert "already taken" in again.json()["subdomain"][0]


def test_an_owner_email_longer_than_the_column_is_refused_with_400(cast: Cast, api: Client) -> None:
    before = _unchanged(cast)
    response = api.post(
        PRACTICES,
        {"name": "Long", "subdomain": "long-owner", "owner_email": TOO_LONG_EMAIL},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner_email": ["Ensure this field has no more than 254 characters."]
    }
    assert _unchanged(cast) == before
    assert not Domain.objects.filter(domain__startswith="long-owner.").exists()


def test_deeply_nested_json_is_refused_with_400(cast: Cast, api: Client) -> None:
    before = _unchanged(cast)
    response = api.post(PRACTICES, DEEPLY_NESTED_JSON, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested too deeply."}
    assert _unchanged(cast) == before


def test_openapi_schema_describes_the_platform_api(cast: Cast) -> None:
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/api/platform/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Portico platform API"
    assert set(schema["paths"]) == {
        "/api/platform/practices/",
        "/api/platform/practices/{practice_uuid}/",
        "/api/platform/practices/{practice_uuid}/suspend/",
        "/api/platform/practices/{practice_uuid}/resume/",
        "/api/platform/practices/{practice_uuid}/change-subdomain/",
    }
    assert schema["components"]["securitySchemes"]["operatorToken"]["scheme"] == "bearer"
