"""Fixtures of the outbox tests: a real SMTP sink, committed rows, real worker processes (the
helpers behind them are in tests/support/outbox.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dramatiq
import pytest
from django.test import override_settings

from tenant_apps.notifications.tasks import OUTBOX_QUEUE
from tests.cast import Cast
from tests.smtp_sink import SmtpSink
from tests.support.outbox import Workers, committed_outbox


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


@pytest.fixture
def committed(cast: Cast, django_db_blocker: Any) -> Iterator[Cast]:
    """`committed_outbox`, starting from an empty outbox queue (for the worker processes)."""
    dramatiq.get_broker().flush(OUTBOX_QUEUE)
    with committed_outbox(cast, django_db_blocker) as committed_cast:
        yield committed_cast


@pytest.fixture
def workers(sink: SmtpSink, tmp_path: Path) -> Iterator[Workers]:
    hook_dir = tmp_path / "hook"
    log_dir = tmp_path / "logs"
    hook_dir.mkdir()
    log_dir.mkdir()
    running = Workers(sink=sink, hook_dir=hook_dir, log_dir=log_dir)
    try:
        yield running
    finally:
        running.release()
        running.stop_all()


@pytest.fixture
def through_sink(sink: SmtpSink) -> Iterator[SmtpSink]:
    """This process's own relay (and everything else) sends through the sink too."""
    with override_settings(**sink.settings()):
        yield sink
