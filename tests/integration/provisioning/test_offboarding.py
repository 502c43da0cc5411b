"""Offboarding: export everything, then the schema and the files are gone for good."""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_exists

from provisioning.offboarding import practice_offboard
from provisioning.services import ProvisioningError, pool_refill, practice_claim
from shared_apps.tenancy.models import Practice, PracticeEvent, PracticeExport
from storage.client import s3_client
from storage.objects import object_keys, practice_prefix
from tests.support.provisioning import owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving() -> Practice:
    pool_refill(target=1)
    practice = practice_claim(name="Leaving Soon", subdomain="leaving-soon", owner=owner())
    client = s3_client()
    for area, body in [("uploads", b"%PDF-1.7 intake"), ("documents", b"consent text")]:
        client.put_object(
            Bucket=settings.PORTICO_S3_BUCKET,
            Key=f"{practice_prefix(practice.uuid)}{area}/file-{area}",
            Body=body,
            ServerSideEncryption="AES256",
        )
    return practice


def test_offboarding_needs_the_subdomain_typed_again(leaving: Practice) -> None:
    with pytest.raises(ProvisioningError, match="type its subdomain exactly"):
        practice_offboard(practice=leaving, confirm_subdomain="leaving", actor="operator:1")
    assert schema_exists(leaving.schema_name)
    assert len(list(object_keys(practice_prefix(leaving.uuid)))) == 2


def test_offboarding_exports_then_removes_schema_files_and_host(leaving: Practice) -> None:
    export = practice_offboard(
        practice=leaving, confirm_subdomain="Leaving-Soon", actor="operator:1"
    )

    assert not schema_exists(leaving.schema_name)
    assert list(object_keys(practice_prefix(leaving.uuid))) == []
    assert not Practice.objects.filter(pk=leaving.pk).exists()
    assert Client(HTTP_HOST="leaving-soon.localhost").get("/").status_code == 404
    kinds = set(
        PracticeEvent.objects.filter(practice_uuid=leaving.uuid).values_list("kind", flat=True)
    )
    assert {"claimed", "offboarding_started", "offboarded"} <= kinds

    [email] = mail.outbox
    assert email.to == ["owner@new.example.com"]
    [link] = re.findall(r"http://localhost(/exports/[^/\s]+/)", str(email.body))
    response = Client(HTTP_HOST="localhost").get(link)
    assert response.status_code == 302
    with urllib.request.urlopen(response["Location"]) as download:  # noqa: S310 — moto on loopback
        archive = zipfile.ZipFile(io.BytesIO(download.read()))

    names = set(archive.namelist())
    assert {"files/uploads/file-uploads", "files/documents/file-documents"} <= names
    assert archive.read("files/uploads/file-uploads") == b"%PDF-1.7 intake"
    users = json.loads(archive.read("tables/accounts_user.json"))
    assert [user["email"] for user in users] == ["owner@new.example.com"]
    assert "password" not in users[0]
    assert "tables/django_session.json" not in names
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"] == 2
    assert manifest["tables"]["accounts_user"] == 1
    assert PracticeExport.objects.get(pk=export.pk).size_bytes > 0


def test_an_unknown_or_expired_export_link_is_a_404() -> None:
    assert Client(HTTP_HOST="localhost").get("/exports/not-a-token/").status_code == 404
