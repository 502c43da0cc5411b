"""Collect every log record the suite produces and fail the run if one carries PHI."""

from __future__ import annotations

import logging
from collections.abc import Iterable


class LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]!r}"
        self.lines.append(f"{record.name}: {text}")


def lines_with_phi(lines: Iterable[str], phi: Iterable[str]) -> list[str]:
    """The log lines that contain any of the given PHI strings (case-insensitive)."""
    needles = [value.lower() for value in phi if value]
    return [line for line in lines if any(needle in line.lower() for needle in needles)]
