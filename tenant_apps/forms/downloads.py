"""HTTP answers for generated PDFs: always an attachment, never stored by a cache, and named by
ids only (a filename must not carry a client's name or a form's title)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """`filename` is made of ids by the caller (e.g. `form-12.pdf`)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response
