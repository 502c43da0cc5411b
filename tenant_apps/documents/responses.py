"""How the page views answer the upload script: JSON for the script, a redirect with a message
for a browser without JavaScript (whose form never carries the file: its input has no name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from storage.presign import UploadForm
from tenant_apps.documents.errors import DocumentRefused

NO_SCRIPT_MESSAGE = (
    "Uploading a file needs JavaScript: files go straight from your browser to secure storage. "
    "Please turn JavaScript on and try again."
)


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def slot_answer(form: UploadForm, *, confirm_url: str) -> JsonResponse:
    return JsonResponse({"upload": form.as_json(), "confirm_url": confirm_url})


def refused(request: HttpRequest, message: str, *, back: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=400)
    messages.error(request, message)
    return redirect(back)


def done(request: HttpRequest, message: str, *, back: str, **extra: Any) -> HttpResponse:
    messages.success(request, message)
    if wants_json(request):
        return JsonResponse({"redirect": back, **extra})
    return redirect(back)


def change_answer(
    request: HttpRequest, change: Callable[[], object], *, success: str, back: str
) -> HttpResponse:
    """Run `change` (a service call): the `done` answer with `success`, or the `refused` answer
    with the message of the DocumentRefused it raised."""
    try:
        change()
    except DocumentRefused as refusal:
        return refused(request, refusal.message, back=back)
    return done(request, success, back=back)


def no_script(request: HttpRequest, *, back: str) -> HttpResponse:
    return refused(request, NO_SCRIPT_MESSAGE, back=back)
