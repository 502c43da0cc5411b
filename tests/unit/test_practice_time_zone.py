"""Times on a practice's host are shown in the practice's time zone; elsewhere in UTC."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from shared_apps.tenancy.middleware import PracticeTimeZoneMiddleware
from shared_apps.tenancy.models import Practice


def _zone_seen(practice: Practice | None) -> tuple[str, str]:
    seen: list[str] = []

    def view(_request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = RequestFactory().get("/")
    if practice is not None:
        request.tenant = practice  # type: ignore[attr-defined]
    PracticeTimeZoneMiddleware(view)(request)
    return seen[0], timezone.get_current_timezone_name()


def test_a_practice_host_uses_the_practice_time_zone_for_that_request_only() -> None:
    during, after = _zone_seen(Practice(schema_name="p_x", time_zone="America/New_York"))
    assert during == "America/New_York"
    assert after == "UTC"


def test_the_platform_host_and_an_unknown_zone_stay_in_utc() -> None:
    assert _zone_seen(None) == ("UTC", "UTC")
    assert _zone_seen(Practice(schema_name="p_x", time_zone="Mars/Olympus")) == ("UTC", "UTC")
