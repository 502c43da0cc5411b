from __future__ import annotations

import pytest

from config.redis_url import redis_url_with_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("rediss://user:pw@redis.example:6380", "rediss://user:pw@redis.example:6380/1"),
        ("unix:///srv/redis.sock?db=0", "unix:///srv/redis.sock?db=1"),
        ("unix:///srv/redis.sock", "unix:///srv/redis.sock?db=1"),
    ],
)
def test_redis_url_with_db(url: str, expected: str) -> None:
    assert redis_url_with_db(url, 1) == expected
