"""Readiness checks: can this process reach its database, Redis and S3 right now?"""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection

from storage.client import s3_client

_TIMEOUT_SECONDS = 2.0


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def redis_check() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=_TIMEOUT_SECONDS,
        socket_connect_timeout=_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def s3_check() -> None:
    s3_client(timeout_seconds=_TIMEOUT_SECONDS).head_bucket(Bucket=settings.PORTICO_S3_BUCKET)


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": database_check,
    "redis": redis_check,
    "s3": s3_check,
}


def readiness_report() -> dict[str, str]:
    """Each check's outcome: "ok", or the exception's class name (never its message: it can carry
    connection strings)."""
    report = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:
            report[name] = f"error: {type(error).__name__}"
        else:
            report[name] = "ok"
    return report
