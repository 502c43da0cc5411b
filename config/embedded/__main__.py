"""`python -m config.embedded dev | test [pytest args] | run -- command`.

- dev: start the stack, migrate, ensure the demo practice, serve the portal and a Dramatiq worker;
  Ctrl-C stops everything it started.
- test: start the test stack (separate data and Redis from dev) and run pytest.
- run: start the dev stack and run one command in it (e.g. `python manage.py shell`).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from config.embedded.layout import DEV_S3_PORT, EmbeddedLayout
from config.embedded.processes import ChildProcesses
from config.embedded.stack import embedded_stack

REPO = Path(__file__).resolve().parent.parent.parent
VAR = REPO / ".var"
PYTHON = sys.executable


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.embedded")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="serve the portal with the demo practice")
    dev.add_argument("--port", type=int, default=int(os.environ.get("PORTICO_DEV_PORT", "8000")))
    test = commands.add_parser("test", help="run the test suite (arguments go to pytest)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    run = commands.add_parser("run", help="run a command in the dev stack")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    try:
        if args.command == "dev":
            return _dev(args.port)
        if args.command == "test":
            return _test(args.pytest_args)
        return _run(
            [part for part in args.cmd if part != "--"] if args.cmd[:1] == ["--"] else args.cmd
        )
    except KeyboardInterrupt:
        # Ctrl-C is how `make dev` is meant to stop; elsewhere it is an interruption.
        return 0 if args.command == "dev" else 130


def _dev(port: int) -> int:
    print("Starting Portico's embedded services…")
    with embedded_stack(EmbeddedLayout(VAR / "dev"), s3_port=DEV_S3_PORT, persist=True) as stack:
        env = {**_child_env(stack, "config.settings.dev"), "PORTICO_DEV_PORT": str(port)}
        manage = [PYTHON, str(REPO / "manage.py")]
        _run_or_exit([*manage, "migrate_all"], env=env)
        _run_or_exit([*manage, "pool_refill"], env=env)
        _run_or_exit([*manage, "ensure_demo_practice"], env=env)
        with ChildProcesses() as children:
            children.start("web", [*manage, "runserver", f"127.0.0.1:{port}"], env=env)
            children.start(
                "worker",
                [PYTHON, "-m", "dramatiq", "config.worker", "--processes", "1", "--threads", "2"],
                env=env,
            )
            children.start("scheduler", [*manage, "run_scheduler"], env=env)
            print(
                f"\nPortico is running.\n"
                f"  platform:       http://localhost:{port}/\n"
                f"  demo practice:  http://demo.localhost:{port}/  (staff: /staff/)\n"
                f"  readiness:      http://localhost:{port}/readyz\n"
                f"  sign up:        http://localhost:{port}/signup/\n"
                f"  dev mailbox:    http://localhost:{port}/dev/mailbox/\n"
                f"Press Ctrl-C to stop everything.\n"
            )
            code = children.wait_any()
            print(f"A process exited (code {code}); stopping everything.")
            return code or 1


def _test(pytest_args: list[str]) -> int:
    # Two test runs at once (say, in two worktrees' terminals) each need their own stack.
    layout = EmbeddedLayout(Path(os.environ.get("PORTICO_TEST_STACK_DIR", VAR / "test")))
    with embedded_stack(layout, s3_port=0, persist=False) as stack:
        env = _child_env(stack, "config.settings.test")
        command = [PYTHON, "-m", "pytest", *pytest_args]
        return subprocess.run(command, env=env, cwd=REPO, check=False).returncode  # noqa: S603


def _run(command: list[str]) -> int:
    # A free port for S3: a one-off command must not collide with a running `make dev`.
    with embedded_stack(EmbeddedLayout(VAR / "dev"), s3_port=0, persist=True) as stack:
        env = _child_env(stack, "config.settings.dev")
        return subprocess.run(command, env=env, cwd=REPO, check=False).returncode  # noqa: S603


def _child_env(stack_env: dict[str, str], settings_module: str) -> dict[str, str]:
    return {
        **os.environ,
        **stack_env,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings_module),
        "PYTHONUNBUFFERED": "1",
    }


def _run_or_exit(command: list[str], *, env: dict[str, str]) -> None:
    if subprocess.run(command, env=env, check=False).returncode:  # noqa: S603
        raise SystemExit(f"`{' '.join(command[1:])}` failed; see the output above.")


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into the same clean shutdown as Ctrl-C (and take Ctrl-C even when started in
    the background, where shells start processes with SIGINT ignored)."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
