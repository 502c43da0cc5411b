"""The test bucket for integration tests: what a practice holds, and cleaning up after a test.

Objects written to the bucket are not rolled back with the database: `clean_bucket` (autouse
where a conftest or test module imports it) deletes every object a test added under practice A's
and B's prefixes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from storage.client import s3_client
from storage.objects import object_keys, practice_prefix
from tests.cast import Cast, PracticeCast


def keys_of(practice: PracticeCast) -> set[str]:
    """Every key under `practice`'s prefix."""
    return {key for key, _size in object_keys(practice_prefix(practice.practice.uuid))}


@pytest.fixture(autouse=True)
def clean_bucket(cast: Cast) -> Iterator[None]:
    before = keys_of(cast.a) | keys_of(cast.b)
    yield
    for key in (keys_of(cast.a) | keys_of(cast.b)) - before:
        s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)
