"""Objects written to the test bucket are not rolled back with the database: delete every object
a test added under practice A's and B's prefixes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.objects import object_keys, practice_prefix
from tests.cast import Cast


def _keys(cast: Cast) -> set[str]:
    return {
        key
        for practice in (cast.a, cast.b)
        for key, _size in object_keys(practice_prefix(practice.practice.uuid))
    }


@pytest.fixture(autouse=True)
def _clean_bucket(cast: Cast) -> Iterator[None]:
    from django.conf import settings

    from storage.client import s3_client

    before = _keys(cast)
    yield
    for key in _keys(cast) - before:
        s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)
