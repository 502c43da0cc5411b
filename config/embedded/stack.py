"""Start the services the environment does not provide, and stop at exit what was started here."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from config.embedded.layout import EmbeddedLayout
from config.embedded.postgres import postgres_ensure
from config.embedded.redis import redis_ensure
from config.embedded.s3 import s3_start

Report = Callable[[str], None]


@contextmanager
def embedded_stack(
    layout: EmbeddedLayout, *, s3_port: int, persist: bool, report: Report = print
) -> Iterator[dict[str, str]]:
    """Yield the environment variables that point the project at its services.

    A service named in the environment (`DATABASE_URL`, `REDIS_URL`, `PORTICO_S3_ENDPOINT_URL`) is
    used as is; otherwise the embedded one is started or reused. On exit, everything started here is
    stopped, in reverse order, even when the body raised.
    """
    # The embedded S3 server accepts any credentials; the launcher itself creates the bucket.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "portico-embedded")
    variables: dict[str, str] = {}
    with ExitStack() as stops:
        if not os.environ.get("DATABASE_URL"):
            with _timed(report, f"PostgreSQL ({layout.pg_dir})") as note:
                variables["DATABASE_URL"], stop = postgres_ensure(layout)
                note(_started_or_reused(stops, stop, "PostgreSQL"))
        if not os.environ.get("REDIS_URL"):
            with _timed(report, f"Redis ({layout.redis_socket})") as note:
                variables["REDIS_URL"], stop = redis_ensure(layout, persist=persist)
                note(_started_or_reused(stops, stop, "Redis"))
        if not os.environ.get("PORTICO_S3_ENDPOINT_URL"):
            with _timed(report, "S3 server") as note:
                bucket = os.environ.get("PORTICO_S3_BUCKET", "portico")
                endpoint, stop_s3 = s3_start(port=s3_port, bucket=bucket)
                variables["PORTICO_S3_ENDPOINT_URL"] = endpoint
                note(_started_or_reused(stops, stop_s3, "S3 server"))
        yield variables


def _started_or_reused(stops: ExitStack, stop: Callable[[], None] | None, name: str) -> str:
    if stop is None:
        return "reused (already running)"
    stops.callback(_stop_quietly, stop, name)
    return "started"


def _stop_quietly(stop: Callable[[], None], name: str) -> None:
    try:
        stop()
    except Exception as error:
        print(f"  could not stop {name} cleanly: {error}")
    else:
        print(f"  stopped {name}")


@contextmanager
def _timed(report: Report, what: str) -> Iterator[Callable[[str], None]]:
    outcome = ["ready"]
    started = time.monotonic()
    yield lambda text: outcome.__setitem__(0, text)
    report(f"  {what}: {outcome[0]} in {time.monotonic() - started:.2f} s")
