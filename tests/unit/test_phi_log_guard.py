from __future__ import annotations

import logging

from tests.phi_log_guard import LogCollector, lines_with_phi


def test_guard_flags_only_lines_with_phi() -> None:
    collector = LogCollector()
    logger = logging.getLogger("tests.phi-guard")
    logger.addHandler(collector)
    logger.propagate = False  # keep this test's fake PHI away from the suite's own guard
    try:
        logger.warning("Refused message %s", "abc123")
        logger.warning("Invited %s", "Robin.Example@Example.com")
    finally:
        logger.removeHandler(collector)
        logger.propagate = True
    assert lines_with_phi(collector.lines, ["robin.example@example.com", "Robin"]) == [
        "tests.phi-guard: Invited Robin.Example@Example.com"
    ]
