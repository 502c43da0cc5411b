"""Reading, copying and deleting objects of the current practice: each call passes the storage
guard first (`storage.guard.key_guard`), so another practice's key is refused before S3 is asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from botocore.exceptions import ClientError
from django.conf import settings

from storage.client import s3_client
from storage.guard import key_guard

STREAM_CHUNK_BYTES = 64 * 1024
_MISSING = ("404", "NoSuchKey", "NotFound")
_CHANGED = ("412", "PreconditionFailed")


class ObjectChanged(Exception):
    """The object is no longer the version that was checked (someone posted to its key again)."""


@dataclass(frozen=True)
class ObjectHead:
    size: int
    etag: str


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def practice_object_head(key: str) -> ObjectHead | None:
    """The object's size and ETag from a HEAD request; None when there is no such object."""
    try:
        head = s3_client().head_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key_guard(key))
    except ClientError as error:
        if _code(error) in _MISSING:
            return None
        raise
    return ObjectHead(size=int(head["ContentLength"]), etag=str(head["ETag"]))


def practice_object_range(key: str, *, start: int, end: int, etag: str | None = None) -> bytes:
    """Bytes `start`..`end` (inclusive) of the object, by a ranged GET: never the whole file.
    With `etag`, only of that version; raises ObjectChanged otherwise."""
    client, bucket, byte_range = s3_client(), settings.PORTICO_S3_BUCKET, f"bytes={start}-{end}"
    try:
        if etag:
            response = client.get_object(
                Bucket=bucket, Key=key_guard(key), Range=byte_range, IfMatch=etag
            )
        else:
            response = client.get_object(Bucket=bucket, Key=key_guard(key), Range=byte_range)
    except ClientError as error:
        if _code(error) in _CHANGED:
            raise ObjectChanged from error
        raise
    return response["Body"].read()


def practice_object_copy(*, source: str, destination: str, etag: str, content_type: str) -> None:
    """Copy the `etag` version of `source` to `destination` inside S3 (no bytes through the app),
    encrypted, with `content_type`. Raises ObjectChanged when `source` is another version (the
    copy is then removed: S3-compatible servers may ignore the copy condition, the result's ETag
    is checked too)."""
    client = s3_client()
    try:
        result = client.copy_object(
            Bucket=settings.PORTICO_S3_BUCKET,
            Key=key_guard(destination),
            CopySource={"Bucket": settings.PORTICO_S3_BUCKET, "Key": key_guard(source)},
            CopySourceIfMatch=etag,
            MetadataDirective="REPLACE",
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )
    except ClientError as error:
        if _code(error) in (*_CHANGED, *_MISSING):
            raise ObjectChanged from error
        raise
    if result.get("CopyObjectResult", {}).get("ETag") != etag:
        practice_object_delete(destination)
        raise ObjectChanged


def practice_object_chunks(key: str) -> Iterator[bytes]:
    """The object's bytes in chunks of 64 KiB, so a scan never holds a whole file in memory."""
    response = s3_client().get_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key_guard(key))
    yield from response["Body"].iter_chunks(STREAM_CHUNK_BYTES)


def practice_object_delete(key: str) -> None:
    """Delete the object (no error when it is already gone)."""
    s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key_guard(key))
