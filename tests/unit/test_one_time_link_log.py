"""Django's "Not Found: <path>" line is dropped for a page reached by a one-time link (its path
holds the token), and only for such a page."""

from __future__ import annotations

import logging

from django.test import RequestFactory

from shared_apps.web.one_time_link import OneTimeLinkLogFilter, one_time_link_mark


def _record(path: str, *, marked: bool) -> logging.LogRecord:
    request = RequestFactory().get(path)
    if marked:
        one_time_link_mark(request)
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found: %s", (path,), None
    )
    record.request = request
    return record


def test_a_marked_request_is_not_logged_by_django() -> None:
    assert not OneTimeLinkLogFilter().filter(_record("/invitation/SECRET/", marked=True))


def test_any_other_request_is_logged() -> None:
    assert OneTimeLinkLogFilter().filter(_record("/staff/nowhere/", marked=False))
    assert OneTimeLinkLogFilter().filter(logging.LogRecord("x", logging.INFO, "", 0, "m", (), None))
