"""Log lines say which practice and which request they came from (never who)."""

from __future__ import annotations

import logging

import pytest

from config.logging import RequestContextFilter
from tests.cast import Cast

pytestmark = pytest.mark.django_db


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_log_line_during_a_practice_request_carries_its_schema_and_request_id(
    cast: Cast,
) -> None:
    handler = _Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = cast.a.http().get("/no-such-page/", HTTP_X_REQUEST_ID="req-1234abcd")
    finally:
        logger.removeHandler(handler)
    [record] = handler.records
    assert record.schema == cast.a.practice.schema_name  # type: ignore[attr-defined]
    assert record.request_id == "req-1234abcd"  # type: ignore[attr-defined]
    assert response["X-Request-ID"] == "req-1234abcd"


def test_a_malformed_request_id_is_replaced(cast: Cast) -> None:
    response = cast.a.http().get("/", HTTP_X_REQUEST_ID="<script>")
    assert len(response["X-Request-ID"]) == 32
