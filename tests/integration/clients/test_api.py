"""`/api/v1/clients/`: the same role rules and audit as the pages."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.hostile_input import DEEPLY_NESTED_JSON, TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db


def _rows(cast: Cast) -> list[tuple[object, ...]]:
    with cast.a.schema():
        return list(
            Client.objects.order_by("pk").values_list("pk", "last_name", "email", "is_archived")
        )


def test_anonymous_and_clients_are_refused(cast: Cast, unassigned: Client) -> None:
    before = _rows(cast)
    for browser in (cast.a.http(), cast.a.signed_in(cast.a.client_user)):
        for method, path in [
            ("get", "/api/v1/clients/"),
            ("post", "/api/v1/clients/"),
            ("get", f"/api/v1/clients/{unassigned.pk}/"),
            ("patch", f"/api/v1/clients/{unassigned.pk}/"),
        ]:
            response = getattr(browser, method)(
                path, {"first_name": "X", "last_name": "Y"}, content_type="application/json"
            )
            assert response.status_code == 403, (method, path)
            assert b"Unassigned" not in response.content
    assert _rows(cast) == before


def test_owner_and_admin_list_and_retrieve_every_client(
    cast: Cast, admin_a: User, assigned: Client, unassigned: Client
) -> None:
    for user in (cast.a.owner, admin_a):
        api = cast.a.signed_in(user)
        listed = api.get("/api/v1/clients/").json()
        assert listed["count"] == 2
        assert [c["id"] for c in listed["results"]] == [assigned.pk, unassigned.pk]
        one = api.get(f"/api/v1/clients/{assigned.pk}/").json()
        assert one["email"] == "avery@example.org"
        assert one["clinician_id"] == assigned.clinician_id
        assert one["portal_status"] == "not_invited"
    with cast.a.schema():
        viewed = AuditEntry.objects.filter(action="client.viewed")
        assert set(viewed.values_list("actor_id", flat=True)) == {cast.a.owner.pk, admin_a.pk}
        # The view audits the page it answered (the paginator writes nothing): counts only.
        listed_rows = AuditEntry.objects.filter(action="client.listed").order_by("pk")
        assert list(listed_rows.values_list("actor_id", "object_type", "detail", "ip")) == [
            (user.pk, "client", {"page": 1, "shown": 2}, "127.0.0.1")
            for user in (cast.a.owner, admin_a)
        ]


def test_a_clinician_gets_404_for_a_client_not_assigned_to_them(
    cast: Cast, assigned: Client, unassigned: Client
) -> None:
    assert cast.a.clinician is not None
    api = cast.a.signed_in(cast.a.clinician)
    assert [c["id"] for c in api.get("/api/v1/clients/").json()["results"]] == [assigned.pk]
    assert api.get(f"/api/v1/clients/{assigned.pk}/").status_code == 200
    before = _rows(cast)
    missing = api.get(f"/api/v1/clients/{unassigned.pk}/")
    changed = api.patch(
        f"/api/v1/clients/{unassigned.pk}/",
        {"last_name": "Taken"},
        content_type="application/json",
    )
    nowhere = api.get("/api/v1/clients/999999999/")
    assert (missing.status_code, changed.status_code, nowhere.status_code) == (404, 404, 404)
    assert missing.json() == nowhere.json()
    assert _rows(cast) == before


def test_create_update_and_archive(cast: Cast, admin_a: User) -> None:
    assert cast.a.clinician is not None
    api = cast.a.signed_in(admin_a)
    created = api.post(
        "/api/v1/clients/",
        {
            "first_name": "Ida",
            "last_name": "Api",
            "email": "Ida@Example.org",
            "date_of_birth": "1979-12-31",
            "clinician_id": cast.a.clinician.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["email"], body["clinician_id"]) == ("ida@example.org", cast.a.clinician.pk)
    duplicate = api.post(
        "/api/v1/clients/",
        {"first_name": "Other", "last_name": "Person", "email": "ida@example.org"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "email": ["A client with this email already exists: ida@example.org"]
    }

    patched = api.patch(
        f"/api/v1/clients/{body['id']}/",
        {"pronouns": "she/her", "is_archived": True},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert (patched.json()["pronouns"], patched.json()["is_archived"]) == ("she/her", True)
    assert api.get("/api/v1/clients/").json()["count"] == 0
    assert api.get("/api/v1/clients/?include_archived=true").json()["count"] == 1
    with cast.a.schema():
        actions = list(
            AuditEntry.objects.filter(object_id=str(body["id"]))
            .order_by("id")
            .values_list("action", "detail")
        )
    assert actions == [
        ("client.created", {}),
        ("client.updated", {"fields": ["pronouns"]}),
        ("client.archived", {}),
    ]


def test_a_clinician_creates_clients_for_themselves_only(cast: Cast) -> None:
    assert cast.a.clinician is not None
    api = cast.a.signed_in(cast.a.clinician)
    created = api.post(
        "/api/v1/clients/",
        {"first_name": "Cy", "last_name": "Mine", "clinician_id": None},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["clinician_id"] == cast.a.clinician.pk


def test_the_schema_documents_the_clients_api(cast: Cast) -> None:
    schema = cast.a.signed_in(cast.a.owner).get("/api/schema/?format=json").json()
    assert {"get", "post"} <= schema["paths"]["/api/v1/clients/"].keys()
    assert {"get", "patch"} <= schema["paths"]["/api/v1/clients/{client_id}/"].keys()


def _openapi_json_schema(node: Any, components: dict[str, Any]) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: references inlined, `nullable` as a type."""
    if isinstance(node, list):
        return [_openapi_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _openapi_json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    converted = {
        key: _openapi_json_schema(value, components)
        for key, value in node.items()
        if key != "nullable"
    }
    if node.get("nullable") and "type" in node:
        converted["type"] = [node["type"], "null"]
    return converted


def test_client_responses_conform_to_the_schema_a_missing_email_being_null(
    cast: Cast, make_client: MakeClient, assigned: Client
) -> None:
    no_email = make_client(first_name="Nora", last_name="Noemail")
    api = cast.a.signed_in(cast.a.owner)
    schema = api.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    email = components["ClientOutput"]["properties"]["email"]
    assert (email["type"], email["format"], email["nullable"]) == ("string", "email", True)

    paths = schema["paths"]
    page_schema = paths["/api/v1/clients/"]["get"]["responses"]["200"]["content"]
    detail_schema = paths["/api/v1/clients/{client_id}/"]["get"]["responses"]["200"]["content"]
    listed = api.get("/api/v1/clients/").json()
    detail = api.get(f"/api/v1/clients/{no_email.pk}/").json()
    assert [c["email"] for c in listed["results"]] == ["avery@example.org", None]
    assert detail["email"] is None
    for body, content in ((listed, page_schema), (detail, detail_schema)):
        jsonschema.validate(
            body,
            _openapi_json_schema(content["application/json"]["schema"], components),
            format_checker=jsonschema.FormatChecker(),
        )


def test_an_email_longer_than_the_column_is_refused_with_400(cast: Cast, assigned: Client) -> None:
    api = cast.a.signed_in(cast.a.owner)
    before = _rows(cast)
    created = api.post(
        "/api/v1/clients/",
        {"first_name": "Lo", "last_name": "Ng", "email": TOO_LONG_EMAIL},
        content_type="application/json",
    )
    patched = api.patch(
        f"/api/v1/clients/{assigned.pk}/",
        {"email": TOO_LONG_EMAIL},
        content_type="application/json",
    )
    for response in (created, patched):
        assert response.status_code == 400
        assert response.json() == {"email": ["Ensure this field has no more than 254 characters."]}
    assert _rows(cast) == before


def test_deeply_nested_json_is_refused_with_400(cast: Cast) -> None:
    api = cast.a.signed_in(cast.a.owner)
    before = _rows(cast)
    response = api.post("/api/v1/clients/", DEEPLY_NESTED_JSON, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested too deeply."}
    assert _rows(cast) == before
