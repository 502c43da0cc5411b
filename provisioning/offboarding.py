"""Offboarding: export everything a practice holds, then drop its schema and delete its files.

Irreversible, so the caller must type the practice's subdomain again. Resumable: each step checks
whether it already happened, so a crash part-way is finished by running it again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import zipfile
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from psycopg import sql

from provisioning.schemas import schema_drop
from provisioning.services import (
    ProvisioningError,
    practice_event_record,
    practice_status_change,
)
from shared_apps.accounts.models import StaffRole, User, UserKind
from shared_apps.tenancy.models import (
    Domain,
    Practice,
    PracticeEventKind,
    PracticeExport,
    PracticeStatus,
)
from shared_apps.tenancy.selectors import host_url, practice_hosts, practice_subdomain
from shared_apps.tenancy.services import practice_host_cache_forget
from storage.objects import (
    export_key,
    object_keys,
    object_put,
    object_read,
    practice_prefix,
    prefix_delete,
)

EXPORT_LINK_DAYS = 30
# Left out of the archive: credentials and live sessions are not the practice's records.
_SKIPPED_TABLES = {"django_session", "django_migrations"}
_SKIPPED_COLUMNS = {"accounts_user": {"password"}}


def practice_offboard(*, practice: Practice, confirm_subdomain: str, actor: str) -> PracticeExport:
    """Export, then remove the practice for good. Returns the export (its link is emailed to the
    practice's owners). Raises ProvisioningError if `confirm_subdomain` does not match."""
    subdomain = practice_subdomain(practice)
    if subdomain is None or confirm_subdomain.strip().lower() != subdomain:
        raise ProvisioningError(
            "To offboard this practice, type its subdomain exactly as shown. Nothing was changed."
        )
    practice = practice_status_change(
        practice=practice,
        to=PracticeStatus.OFFBOARDING,
        allowed_from={PracticeStatus.ACTIVE, PracticeStatus.SUSPENDED},
        kind=PracticeEventKind.OFFBOARDING_STARTED,
        actor=actor,
    )
    export = PracticeExport.objects.filter(practice_uuid=practice.uuid).first()
    if export is None:
        export = _export_create(practice)
    schema_drop(practice.schema_name)
    prefix_delete(practice_prefix(practice.uuid))
    hosts = practice_hosts(practice)
    with transaction.atomic(durable=True):
        practice_event_record(
            practice, PracticeEventKind.OFFBOARDED, actor=actor, subdomain=subdomain
        )
        Domain.objects.filter(tenant=practice).delete()
        Practice.objects.filter(pk=practice.pk).delete()
    practice_host_cache_forget(*hosts)
    return export


def _export_create(practice: Practice) -> PracticeExport:
    token = secrets.token_urlsafe(32)
    key = export_key(practice.uuid)
    with tempfile.TemporaryFile() as archive_file:
        manifest = _archive_write(practice, archive_file)
        size = archive_file.tell()
        archive_file.seek(0)
        object_put(key=key, body=archive_file, content_type="application/zip")
    export = PracticeExport.objects.create(
        practice_uuid=practice.uuid,
        s3_key=key,
        size_bytes=size,
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=EXPORT_LINK_DAYS),
    )
    _export_link_send(practice, token=token, manifest=manifest)
    return export


def _archive_write(practice: Practice, archive_file: IO[bytes]) -> dict[str, object]:
    """Write the zip: `tables/<table>.json` for each table, `files/...` for each object in the
    practice's S3 prefix, and `manifest.json` with the counts."""
    tables: dict[str, int] = {}
    prefix = practice_prefix(practice.uuid)
    files = 0
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in _tables(practice.schema_name):
            rows = _table_rows(practice.schema_name, table)
            tables[table] = len(rows)
            archive.writestr(f"tables/{table}.json", json.dumps(rows, indent=1, default=str))
        for key, _size in object_keys(prefix):
            archive.writestr(f"files/{key.removeprefix(prefix)}", object_read(key))
            files += 1
        manifest = {
            "practice": practice.name,
            "practice_uuid": str(practice.uuid),
            "exported_at": timezone.now().isoformat(),
            "tables": tables,
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return manifest


def _tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema_name],
        )
        return [name for (name,) in cursor.fetchall() if name not in _SKIPPED_TABLES]


def _table_rows(schema_name: str, table: str) -> list[dict[str, object]]:
    query = sql.SQL("SELECT coalesce(json_agg(t ORDER BY 1), '[]'::json) FROM {}.{} t").format(
        sql.Identifier(schema_name), sql.Identifier(table)
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(connection.connection))
        rows: list[dict[str, object]] = cursor.fetchone()[0]
    skipped = _SKIPPED_COLUMNS.get(table, set())
    return [{k: v for k, v in row.items() if k not in skipped} for row in rows]


def _export_link_send(practice: Practice, *, token: str, manifest: dict[str, object]) -> None:
    """Email the download link to the practice's owners, directly: the practice's own outbox is
    about to be dropped with its schema."""
    with schema_context(practice.schema_name):
        owners = list(
            User.objects.filter(
                kind=UserKind.STAFF, role=StaffRole.OWNER, is_active=True
            ).values_list("email", flat=True)
        )
    if not owners:
        return
    link = host_url(settings.PORTICO_DOMAIN, f"/exports/{token}/")
    send_mail(
        subject=f"Your {practice.name} data export is ready",
        message=(
            f"Your Portico portal for {practice.name} has been closed, as requested.\n\n"
            f"Everything it held is in one archive ({manifest['files']} files and every record "
            f"as JSON). Download it within {EXPORT_LINK_DAYS} days:\n\n{link}\n\n"
            "Keep it somewhere safe: it contains your clients' records."
        ),
        from_email=None,
        recipient_list=owners,
    )
