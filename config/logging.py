"""Logging filter that stamps every record with the schema and request id."""

from __future__ import annotations

import logging

from config.request_context import request_context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.schema = request_context.schema()
        record.request_id = request_context.request_id()
        return True
