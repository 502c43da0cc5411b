"""Objects in the bucket: keys, encrypted writes, prefix listing and deletion, download links.

Keys never contain a filename or PHI: `practices/<practice uuid>/<area>/<uuid4>` for a practice's
files and `exports/<practice uuid>/<uuid4>.zip` for offboarding archives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings

from storage.client import s3_client

if TYPE_CHECKING:
    from types_boto3_s3.type_defs import ObjectIdentifierTypeDef

DOWNLOAD_LINK_SECONDS = 300


def practice_prefix(practice_uuid: uuid.UUID) -> str:
    return f"practices/{practice_uuid}/"


def export_key(practice_uuid: uuid.UUID) -> str:
    return f"exports/{practice_uuid}/{uuid.uuid4()}.zip"


def object_put(*, key: str, body: IO[bytes], content_type: str) -> None:
    s3_client().upload_fileobj(
        body,
        settings.PORTICO_S3_BUCKET,
        key,
        ExtraArgs={"ContentType": content_type, "ServerSideEncryption": "AES256"},
    )


def object_keys(prefix: str) -> Iterator[tuple[str, int]]:
    """Every (key, size) under `prefix`."""
    paginator = s3_client().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=settings.PORTICO_S3_BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            yield item["Key"], item["Size"]


def object_read(key: str) -> bytes:
    return s3_client().get_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)["Body"].read()


def prefix_size(prefix: str) -> int:
    """Bytes stored under `prefix`."""
    return sum(size for _key, size in object_keys(prefix))


def prefix_delete(prefix: str) -> int:
    """Delete everything under `prefix` (in batches of 1,000); return how many objects."""
    client = s3_client()
    keys = [key for key, _size in object_keys(prefix)]
    for start in range(0, len(keys), 1000):
        batch: list[ObjectIdentifierTypeDef] = [{"Key": key} for key in keys[start : start + 1000]]
        client.delete_objects(Bucket=settings.PORTICO_S3_BUCKET, Delete={"Objects": batch})
    return len(keys)


def content_disposition_attachment(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name encoded per RFC 5987/6266:
    quotes, slashes, control characters and non-ASCII letters can never break the header."""
    cleaned = "".join(char for char in filename if char.isprintable()).strip() or "download"
    fallback = "".join(char if char.isascii() and char not in '"\\/;' else "_" for char in cleaned)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def download_url(*, key: str, filename: str, content_type: str) -> str:
    """A presigned GET valid for 5 minutes that always downloads (never renders) the object."""
    disposition = content_disposition_attachment(filename)
    return s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings.PORTICO_S3_BUCKET,
            "Key": key,
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
        },
        ExpiresIn=DOWNLOAD_LINK_SECONDS,
    )
