from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from shared_apps.health.checks import readiness_report

Handler = Callable[[HttpRequest], HttpResponse]


class HealthCheckMiddleware:
    """Answer `/healthz` (the process is alive) and `/readyz` (its services answer) for any host."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path == "/healthz":
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path == "/readyz":
            checks = readiness_report()
            ready = all(outcome == "ok" for outcome in checks.values())
            body = {"status": "ok" if ready else "unavailable", "checks": checks}
            return _no_store(JsonResponse(body, status=200 if ready else 503))
        return self.get_response(request)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
