"""Reading documents and client uploads, always through the viewer.

Staff: shared documents follow the client's visibility (`access_client`: owners and admins see
every client, a clinician their own), so front-desk admins can share and manage files. Client
uploads may hold clinical material: only owners and the client's assigned clinician see them
(the same people `staff_to_notify_about` tells), never admins.
Clients: only their own shared documents that are ready and still shared, and their own uploads.
Every `access_*` answers Http404 for missing and not-yours alike.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from shared_apps.accounts.models import StaffRole, User
from tenant_apps.clients.models import Client
from tenant_apps.clients.selectors import access_client
from tenant_apps.documents.models import ClientUpload, FileState, SharedDocument
from tenant_apps.invitations.models import PortalAccess


def can_see_client_uploads(*, viewer: User, client: Client) -> bool:
    """Owners, and the clinician assigned to `client` (the caller has already checked that the
    viewer may see the client at all)."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_practice_staff):
        return False
    if viewer.role == StaffRole.OWNER:
        return True
    return viewer.role == StaffRole.CLINICIAN and client.clinician_id == viewer.pk


def shared_documents_of(*, client: Client) -> QuerySet[SharedDocument]:
    """Documents shared with `client` (ready ones, un-shared ones too, for the record), newest
    first, with who shared them (one query)."""
    return SharedDocument.objects.filter(client=client, state=FileState.READY).select_related(
        "shared_by"
    )


def client_uploads_of(*, client: Client) -> QuerySet[ClientUpload]:
    """The ready uploads of `client`, newest first."""
    return ClientUpload.objects.filter(client=client, state=FileState.READY)


def access_shared_document(*, viewer: User, client_id: int, document_id: int) -> SharedDocument:
    """The shared document (any state) of a client `viewer` may see; Http404 otherwise."""
    client = access_client(viewer=viewer, client_id=client_id)
    document = SharedDocument.objects.filter(client=client, pk=document_id).first()
    if document is None:
        raise Http404("No document found.")
    document.client = client
    return document


def access_client_upload(*, viewer: User, client_id: int, upload_id: int) -> ClientUpload:
    """A ready upload of a client whose uploads `viewer` may see; Http404 otherwise."""
    client = access_client(viewer=viewer, client_id=client_id)
    if not can_see_client_uploads(viewer=viewer, client=client):
        raise Http404("No upload found.")
    upload = client_uploads_of(client=client).filter(pk=upload_id).first()
    if upload is None:
        raise Http404("No upload found.")
    upload.client = client
    return upload


# --- Portal (the client themself) ---------------------------------------------------------------
def portal_shared_documents(*, client: Client) -> QuerySet[SharedDocument]:
    """What the client sees under "Shared with me": ready and still shared."""
    return SharedDocument.objects.filter(
        client=client, state=FileState.READY, unshared_at__isnull=True
    )


def access_portal_shared_document(*, client: Client, document_id: int) -> SharedDocument:
    document = portal_shared_documents(client=client).filter(pk=document_id).first()
    if document is None:
        raise Http404("No document found.")
    return document


def uploads_enabled(client: Client) -> bool:
    """Whether the practice turned on client uploads for `client` (Portal access)."""
    return PortalAccess.objects.filter(client=client, client_uploads=True).exists()


def access_portal_upload(*, client: Client, upload_id: int) -> ClientUpload:
    """One of the client's own upload rows (any state: the confirm step needs pending ones)."""
    upload = ClientUpload.objects.filter(client=client, pk=upload_id).first()
    if upload is None:
        raise Http404("No upload found.")
    return upload
