"""The cache treats an unreachable Redis as a miss (config/cache.py), except for counters."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from config.cache import FailSoftRedisCache


@pytest.fixture
def unreachable(tmp_path: object) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        f"unix://{tmp_path}/no-redis-here.sock?db=1",
        {"OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1}},
    )


def test_reads_miss_and_writes_are_dropped_when_redis_is_unreachable(
    unreachable: FailSoftRedisCache, caplog: pytest.LogCaptureFixture
) -> None:
    assert unreachable.get("host:a.localhost") is None
    assert unreachable.get("host:a.localhost", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("a") is False
    unreachable.set("a", 1, 30)
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.delete("a") is False
    unreachable.delete_many(["a", "b"])
    assert unreachable.touch("a") is False
    assert "Redis unreachable (ConnectionError)" in caplog.text


def test_counters_still_raise_so_that_throttles_never_count_nothing(
    unreachable: FailSoftRedisCache,
) -> None:
    with pytest.raises(RedisConnectionError):
        unreachable.add("signin:failures", 0, 60)
    with pytest.raises(RedisConnectionError):
        unreachable.incr("signin:failures")
