"""Client pages: Documents & forms > Shared with me (`/documents/shared/`) and > My uploads
(`/documents/uploads/`, only when the practice turned client uploads on for this client).

A client sees only their own documents that are ready and still shared; downloads are audited and
redirect to a 5-minute presigned GET. Uploads go from the browser straight to S3 (static script),
then are confirmed here: verified, scanned, and only then shown to staff.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shared_apps.web.origin import request_origin
from storage.verify import upload_max_bytes
from tenant_apps.clients.models import Client
from tenant_apps.documents import responses
from tenant_apps.documents.errors import DocumentRefused
from tenant_apps.documents.forms import UploadSlotForm
from tenant_apps.documents.selectors import (
    access_portal_shared_document,
    access_portal_upload,
    client_uploads_of,
    portal_shared_documents,
    uploads_enabled,
)
from tenant_apps.documents.services import (
    client_upload_confirm,
    client_upload_slot_create,
    shared_document_download,
)
from tenant_apps.invitations.client_access import client_required, client_user, portal_context


def documents_context(request: HttpRequest, client: Client, **extra: Any) -> dict[str, Any]:
    """The portal context plus `uploads_enabled`, the flag `portal/_documents_nav.html` reads."""
    return portal_context(request, client, uploads_enabled=uploads_enabled(client), **extra)


@client_required
@never_cache
@require_GET
def shared_list(request: HttpRequest, client: Client) -> HttpResponse:
    return render(
        request,
        "documents/portal_shared.html",
        documents_context(
            request,
            client,
            documents=list(portal_shared_documents(client=client)),
            documents_nav="shared",
        ),
    )


@client_required
@require_GET
def shared_download(request: HttpRequest, client: Client, document_id: int) -> HttpResponse:
    document = access_portal_shared_document(client=client, document_id=document_id)
    try:
        link = shared_document_download(
            actor=client_user(request), document=document, origin=request_origin(request)
        )
    except DocumentRefused as refusal:
        return responses.refused(request, refusal.message, back=reverse("documents-portal:shared"))
    return redirect(link)


@client_required
@never_cache
@require_GET
def uploads_list(request: HttpRequest, client: Client) -> HttpResponse:
    if not uploads_enabled(client):
        raise Http404
    return render(
        request,
        "documents/portal_uploads.html",
        documents_context(
            request,
            client,
            uploads=list(client_uploads_of(client=client)),
            form=UploadSlotForm(),
            max_bytes=upload_max_bytes(),
            documents_nav="uploads",
        ),
    )


@client_required
@require_POST
def upload_slot(request: HttpRequest, client: Client) -> HttpResponse:
    back = reverse("documents-portal:uploads")
    if not uploads_enabled(client):
        raise Http404
    if not responses.wants_json(request):
        return responses.no_script(request, back=back)
    form = UploadSlotForm(request.POST)
    if not form.is_valid():
        return responses.refused(request, "Choose a file to upload.", back=back)
    try:
        upload, presigned = client_upload_slot_create(
            actor=client_user(request),
            client=client,
            filename=form.cleaned_data["filename"],
            size=form.cleaned_data["size"],
        )
    except DocumentRefused as refusal:
        return responses.refused(request, refusal.message, back=back)
    return responses.slot_answer(
        presigned,
        confirm_url=reverse("documents-portal:upload-confirm", kwargs={"upload_id": upload.pk}),
    )


@client_required
@require_POST
def upload_confirm(request: HttpRequest, client: Client, upload_id: int) -> HttpResponse:
    upload = access_portal_upload(client=client, upload_id=upload_id)
    return responses.change_answer(
        request,
        partial(
            client_upload_confirm,
            actor=client_user(request),
            upload=upload,
            origin=request_origin(request),
        ),
        success="Your file is uploaded. Thank you.",
        back=reverse("documents-portal:uploads"),
    )
