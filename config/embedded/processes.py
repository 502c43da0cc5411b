"""Child processes of `make dev`, each in its own process group so that stopping one stops all it
forked (runserver's autoreloader, Dramatiq's worker processes)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from types import TracebackType


class ChildProcesses:
    def __init__(self) -> None:
        self._children: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], *, env: dict[str, str]) -> None:
        self._children[name] = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603

    def wait_any(self) -> int:
        """Block until one child exits; return its exit code."""
        while True:
            for child in self._children.values():
                code = child.poll()
                if code is not None:
                    return code
            time.sleep(0.2)

    def __enter__(self) -> ChildProcesses:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for child in self._children.values():
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for name, child in self._children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
            print(f"  stopped {name}")


def _signal_group(child: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
