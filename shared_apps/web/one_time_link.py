"""Pages reached by a one-time link carry the raw token in their path, so Django's own
"Not Found: <path>" line must not be logged for them. The view marks such a request with
`one_time_link_mark`; `OneTimeLinkLogFilter` (on the `django.request` logger, see LOGGING) drops
Django's line for it, and the view logs which page it was instead, without the path.

Kept free of models: the logging configuration imports it before the apps are ready."""

from __future__ import annotations

import logging

from django.http import HttpRequest

_META_KEY = "portico.one_time_link"


def one_time_link_mark(request: HttpRequest) -> None:
    request.META[_META_KEY] = True


class OneTimeLinkLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(getattr(record, "request", None), "META", None)
        return not (isinstance(meta, dict) and meta.get(_META_KEY))
