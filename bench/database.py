"""A benchmark's own database and Redis database, so a run never touches dev's data or queues.

The database lives on `DATABASE_URL`'s server under the bench's own name, made afresh before the
run and dropped at the end (unless the bench was asked to keep it); the Redis database is a
number of its own on `REDIS_URL`'s server, emptied at the end.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from config.redis_url import redis_url_with_db


def _admin_execute(url: str, *statements: sql.Composed) -> None:
    """Run `statements` on the server of `url`, connected to its `postgres` database."""
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _drop(name: str) -> sql.Composed:
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))


def bench_database_recreate(name: str) -> str:
    """Drop database `name` on `DATABASE_URL`'s server if it exists, create it empty; its URL."""
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    _admin_execute(url, _drop(name), sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def bench_django_setup(*, database_url: str, redis_db: int) -> None:
    """Point this process, and every process it starts, at the bench database and Redis database
    `redis_db`, then set Django up as production runs it: no query log, warnings and worse only."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url_with_db(os.environ["REDIS_URL"], redis_db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")  # no query log: measure what production runs
    import django

    django.setup()
    logging.disable(logging.WARNING)


def bench_finish(*, database_url: str, keep: bool) -> None:
    """Empty the bench's Redis database, close Django's connections and drop the bench database
    (unless `keep`)."""
    import redis
    from django.db import connections

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    connections.close_all()
    if not keep:
        _admin_execute(database_url, _drop(urlsplit(database_url).path.lstrip("/")))
