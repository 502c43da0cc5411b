"""How the page views answer the upload script: JSON for the script, a redirect with a message
for a browser without JavaScript (whose form never carries the file: its input has no name)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from storage.presign import UploadForm

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


def no_script(request: HttpRequest, *, back: str) -> HttpResponse:
    return refused(request, NO_SCRIPT_MESSAGE, back=back)
