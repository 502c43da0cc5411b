from __future__ import annotations

import logging

from tests.phi_log_guard import LogCollector, lines_with_phi


def test_guard_flags_only_lines_with_phi() -> None:
    collector = LogCollector()
    logger = logging.getLogger("tests.phi-guard")
    logger.addHandler(collector)
    try:
        logger.warning("Refused message %s", "abc123")
        logger.warning("Invited %s", "Quinn.Clientworth@Example.com")
    finally:
        logger.removeHandler(collector)
    assert lines_with_phi(collector.lines, ["quinn.clientworth@example.com", "Quinn"]) == [
        "tests.phi-guard: Invited Quinn.Clientworth@Example.com"
    ]
