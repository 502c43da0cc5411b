"""The cache backend: Django's Redis cache, except that an unreachable Redis is a cache miss.

Everything Portico keeps in its cache can be read again from PostgreSQL (host → practice lookups,
portal settings), so a Redis outage must not take the portal down with it: reads answer "not
cached" and plain writes are dropped, each logged as a warning (the error's class only). Counters
(`add`, `incr`, `decr`) still raise: the sign-in throttles are built on them, and a throttle that
silently counted nothing would be worse than a refused sign-in during the outage. A delete that
is dropped (a practice changed during the outage) leaves its entry to expire by its timeout, as a
persistent Redis would still hold it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _unreachable(operation: str, error: RedisError) -> None:
    logger.warning("Cache %s skipped: Redis unreachable (%s).", operation, type(error).__name__)


class FailSoftRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _unreachable("read", error)
            return default

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _unreachable("read", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _unreachable("read", error)
            return False

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _unreachable("write", error)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _unreachable("write", error)
            return list(data)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            _unreachable("delete", error)
            return False

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _unreachable("delete", error)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            _unreachable("write", error)
            return False
