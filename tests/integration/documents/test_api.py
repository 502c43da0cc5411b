"""`/api/v1/clients/<id>/documents/`: upload slot, direct upload, confirm, list, download link,
un-share; the same verification and audit as the pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from tenant_apps.audit.models import AuditEntry
from tenant_apps.documents.models import SharedDocument
from tests.cast import Cast
from tests.integration.documents.support import (
    EXE_BYTES,
    PDF_BYTES,
    object_exists,
    portal_client,
    post_to_s3,
)

pytestmark = pytest.mark.django_db


def test_api_share_flow(cast: Cast) -> None:
    client, _ = portal_client(cast.a)
    api = cast.a.signed_in(cast.a.owner)
    base = f"/api/v1/clients/{client.pk}/documents/"
    created = api.post(base, {"filename": "plan.pdf", "message": "See you"}, "application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["document"]["state"] == "pending"
    post_to_s3(body["upload"], PDF_BYTES)
    document_id = body["document"]["id"]
    confirmed = api.post(f"{base}{document_id}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["state"] == "ready"
    assert confirmed.json()["content_type"] == "application/pdf"
    listed = api.get(base).json()
    assert [doc["id"] for doc in listed["shared"]] == [document_id]
    assert listed["uploads"] == []
    link = api.get(f"{base}{document_id}/download/").json()
    assert link["expires_in"] == 300
    assert int(parse_qs(urlsplit(link["url"]).query)["X-Amz-Expires"][0]) <= 300
    with schema_context(cast.a.practice.schema_name):
        assert AuditEntry.objects.filter(action="document.downloaded").count() == 1
    with schema_context(cast.a.practice.schema_name):
        key = SharedDocument.objects.get(pk=document_id).s3_key
    assert object_exists(key)
    assert api.delete(f"{base}{document_id}/").status_code == 204
    assert not object_exists(key)
    assert api.get(f"{base}{document_id}/download/").status_code == 400


def test_api_rejects_disguised_file(cast: Cast) -> None:
    client, _ = portal_client(cast.a)
    api = cast.a.signed_in(cast.a.owner)
    base = f"/api/v1/clients/{client.pk}/documents/"
    body = api.post(base, {"filename": "scan.pdf"}, "application/json").json()
    post_to_s3(body["upload"], EXE_BYTES)
    refused = api.post(f"{base}{body['document']['id']}/confirm/")
    assert refused.status_code == 400
    assert not object_exists(body["upload"]["fields"]["key"])
    assert api.get(base).json()["shared"] == []
    with schema_context(cast.a.practice.schema_name):
        assert SharedDocument.objects.get().state == "rejected"
