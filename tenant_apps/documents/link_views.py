"""Following a download link of the practice API (`links.py`): the link is the credential, so
this view needs no session; it answers 410 for an expired link and 404 for anything else it
cannot honour, without saying which."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shared_apps.web.origin import request_origin
from tenant_apps.accounts.selectors import access_staff_member
from tenant_apps.documents.errors import DocumentRefused
from tenant_apps.documents.links import (
    DownloadClaim,
    DownloadLinkExpired,
    DownloadLinkInvalid,
    download_link_read,
)
from tenant_apps.documents.models import FileState
from tenant_apps.documents.selectors import access_client_upload, access_shared_document
from tenant_apps.documents.services import client_upload_download, shared_document_download


@require_GET
def download_link_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        claim = download_link_read(token)
    except DownloadLinkExpired:
        return render(request, "documents/link_expired.html", status=410)
    except DownloadLinkInvalid as error:
        raise Http404("No file found.") from error
    try:
        return redirect(_presigned_download(request, claim))
    except DocumentRefused as refusal:
        raise Http404("No file found.") from refusal


def _presigned_download(request: HttpRequest, claim: DownloadClaim) -> str:
    """Access checked again as the staff member the link was issued to, audited, presigned."""
    viewer = access_staff_member(member_id=claim.staff_id)
    if not viewer.is_active:
        raise Http404("No file found.")
    if claim.kind == "upload":
        upload = access_client_upload(
            viewer=viewer, client_id=claim.client_id, upload_id=claim.file_id
        )
        return client_upload_download(actor=viewer, upload=upload, origin=request_origin(request))
    document = access_shared_document(
        viewer=viewer, client_id=claim.client_id, document_id=claim.file_id
    )
    if document.state != FileState.READY:
        raise Http404("No file found.")
    return shared_document_download(actor=viewer, document=document, origin=request_origin(request))
