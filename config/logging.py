"""Logging filter that stamps every record with the schema and request id."""

from __future__ import annotations

import logging

from config.request_context import request_context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.schema = request_context.schema()
        record.request_id = request_context.request_id()
        return True


ONE_TIME_LINK_META_KEY = "portico.one_time_link"


class OneTimeLinkFilter(logging.Filter):
    """Drop Django's "Not Found: <path>" line for a page reached by a one-time link, whose path
    holds the raw token: the view marks such a request (`ONE_TIME_LINK_META_KEY` in `META`) and
    logs which page it was instead, without the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        return not (isinstance(meta, dict) and meta.get(ONE_TIME_LINK_META_KEY))
