"""Platform-host pages of provisioning: the offboarding archive download."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from shared_apps.tenancy.models import PracticeExport
from storage.objects import download_url


@require_GET
def export_download(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """Redirect the holder of an export link to a 5-minute download of the archive."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    export = PracticeExport.objects.filter(
        token_sha256=digest, expires_at__gt=timezone.now()
    ).first()
    if export is None:
        raise Http404("This download link is unknown or has expired.")
    response = HttpResponseRedirect(
        download_url(
            key=export.s3_key,
            filename=f"portico-export-{export.practice_uuid}.zip",
            content_type="application/zip",
        )
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
