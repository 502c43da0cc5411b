"""`/api/v1/clients/<id>/documents/`: upload slot, direct upload, confirm, list, download link,
un-share; the same verification and audit as the pages."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from tenant_apps.audit.models import AuditEntry
from tenant_apps.documents.models import SharedDocument
from tests.cast import Cast
from tests.support.documents import (
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
    with cast.a.schema():
        assert not AuditEntry.objects.filter(action="document.downloaded").exists()
    # The link is Portico's own; following it (no session needed) audits, then hands over S3's.
    followed = cast.a.http().get(urlsplit(link["url"]).path)
    assert followed.status_code == 302
    assert int(parse_qs(urlsplit(followed["Location"]).query)["X-Amz-Expires"][0]) <= 300
    with cast.a.schema():
        assert AuditEntry.objects.filter(action="document.downloaded").count() == 1
    with cast.a.schema():
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
    with cast.a.schema():
        assert SharedDocument.objects.get().state == "rejected"


def _download_link(cast: Cast) -> tuple[int, str]:
    client, _ = portal_client(cast.a)
    api = cast.a.signed_in(cast.a.owner)
    base = f"/api/v1/clients/{client.pk}/documents/"
    body = api.post(base, {"filename": "plan.pdf"}, "application/json").json()
    post_to_s3(body["upload"], PDF_BYTES)
    document_id = body["document"]["id"]
    assert api.post(f"{base}{document_id}/confirm/").status_code == 200
    link = api.get(f"{base}{document_id}/download/").json()
    assert link["url"].startswith(f"http://{cast.a.host}/files/")
    return document_id, urlsplit(link["url"]).path


def _downloads(cast: Cast) -> int:
    with cast.a.schema():
        return AuditEntry.objects.filter(action="document.downloaded").count()


def test_an_expired_download_link_is_refused_by_portico(cast: Cast) -> None:
    """moto ignores the expiry of presigned URLs, so the API hands out Portico's own link and
    Portico enforces the five minutes."""
    _document_id, path = _download_link(cast)
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        refused = cast.a.http().get(path)
    assert refused.status_code == 410
    assert "Location" not in refused
    assert b"expired" in refused.content
    assert _downloads(cast) == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=290)):
        assert cast.a.http().get(path).status_code == 302
    assert _downloads(cast) == 1


def test_an_altered_download_link_is_refused(cast: Cast) -> None:
    _document_id, path = _download_link(cast)
    token = path.split("/")[2]
    altered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert cast.a.http().get(altered).status_code == 404
    assert cast.a.http().get("/files/not-a-token/").status_code == 404
    assert _downloads(cast) == 0


def test_a_download_link_stops_working_once_the_document_is_unshared(cast: Cast) -> None:
    document_id, path = _download_link(cast)
    client_id = _client_of(cast, document_id)
    api = cast.a.signed_in(cast.a.owner)
    assert api.delete(f"/api/v1/clients/{client_id}/documents/{document_id}/").status_code == 204
    assert cast.a.http().get(path).status_code == 404
    assert _downloads(cast) == 0


def _client_of(cast: Cast, document_id: int) -> int:
    with cast.a.schema():
        return SharedDocument.objects.get(pk=document_id).client_id
