"""Staff pages: the client's Documents tab (`/staff/clients/<id>/documents/`).

Share a file (the static script asks for an upload slot, posts the file straight to S3, then
confirms), list and un-share shared documents, and — for owners and the client's clinician — the
files the client uploaded. Downloads check access, write the audit row, then redirect to a
5-minute presigned GET. Every client is loaded with `access_client` (404 for missing and
not-yours alike).
"""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from storage.verify import upload_max_bytes
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.selectors import access_client
from tenant_apps.documents import responses
from tenant_apps.documents.errors import DocumentRefused
from tenant_apps.documents.forms import ShareSlotForm
from tenant_apps.documents.models import FileState
from tenant_apps.documents.selectors import (
    access_client_upload,
    access_shared_document,
    can_see_client_uploads,
    client_uploads_of,
    shared_documents_of,
)
from tenant_apps.documents.services import (
    client_upload_download,
    shared_document_confirm,
    shared_document_download,
    shared_document_slot_create,
    shared_document_unshare,
)


def _tab(client_id: int) -> str:
    return reverse("documents:tab", kwargs={"client_id": client_id})


@staff_required()
@never_cache
@require_GET
def documents_tab_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    sees_uploads = can_see_client_uploads(viewer=viewer, client=client)
    shared = list(shared_documents_of(client=client))
    uploads = list(client_uploads_of(client=client)) if sees_uploads else []
    audit_record(
        action=AuditAction.DOCUMENTS_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        object_id=client.pk,
        detail={"shared": len(shared), "uploads": len(uploads)},
    )
    return render(
        request,
        "documents/staff_tab.html",
        {
            "practice": current_practice(),
            "client": client,
            "form": ShareSlotForm(),
            "shared": shared,
            "uploads": uploads,
            "sees_uploads": sees_uploads,
            "max_bytes": upload_max_bytes(),
        },
    )


@staff_required()
@require_POST
def share_slot_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """The upload script asks for a slot; answers the presigned POST and the confirm address."""
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    back = _tab(client.pk)
    if not responses.wants_json(request):
        return responses.no_script(request, back=back)
    form = ShareSlotForm(request.POST)
    if not form.is_valid():
        return responses.refused(request, "Choose a file to share.", back=back)
    try:
        document, upload = shared_document_slot_create(
            actor=viewer,
            client=client,
            filename=form.cleaned_data["filename"],
            message=form.cleaned_data["message"],
            size=form.cleaned_data["size"],
        )
    except DocumentRefused as refusal:
        return responses.refused(request, refusal.message, back=back)
    return responses.slot_answer(
        upload,
        confirm_url=reverse(
            "documents:confirm", kwargs={"client_id": client.pk, "document_id": document.pk}
        ),
    )


@staff_required()
@require_POST
def share_confirm_page(request: HttpRequest, client_id: int, document_id: int) -> HttpResponse:
    viewer = staff_user(request)
    document = access_shared_document(viewer=viewer, client_id=client_id, document_id=document_id)
    return responses.change_answer(
        request,
        partial(
            shared_document_confirm,
            actor=viewer,
            document=document,
            origin=request_origin(request),
        ),
        success="Document shared with the client.",
        back=_tab(client_id),
    )


@staff_required()
@require_POST
def unshare_page(request: HttpRequest, client_id: int, document_id: int) -> HttpResponse:
    viewer = staff_user(request)
    document = access_shared_document(viewer=viewer, client_id=client_id, document_id=document_id)
    return responses.change_answer(
        request,
        partial(
            shared_document_unshare,
            actor=viewer,
            document=document,
            origin=request_origin(request),
        ),
        success="The client no longer sees this document.",
        back=_tab(client_id),
    )


@staff_required()
@require_GET
def shared_download_page(request: HttpRequest, client_id: int, document_id: int) -> HttpResponse:
    viewer = staff_user(request)
    document = access_shared_document(viewer=viewer, client_id=client_id, document_id=document_id)
    if document.state != FileState.READY:
        raise Http404("No document found.")
    try:
        link = shared_document_download(
            actor=viewer, document=document, origin=request_origin(request)
        )
    except DocumentRefused as refusal:
        return responses.refused(request, refusal.message, back=_tab(client_id))
    return redirect(link)


@staff_required()
@require_GET
def upload_download_page(request: HttpRequest, client_id: int, upload_id: int) -> HttpResponse:
    viewer = staff_user(request)
    upload = access_client_upload(viewer=viewer, client_id=client_id, upload_id=upload_id)
    return redirect(
        client_upload_download(actor=viewer, upload=upload, origin=request_origin(request))
    )
