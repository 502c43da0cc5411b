"""Download links handed out by the practice API: Portico's own short-lived signed URL in front of
S3, so that expiry is enforced by our code whatever the storage server enforces (moto, for one,
ignores the expiry of presigned URLs).

A link is valid `DOWNLOAD_LINK_SECONDS`, bound to this practice (the signing salt holds its
schema), to one file and to the staff member it was issued to. Following it checks the signature
and its age, loads the file again through the `access_*` selector as that staff member (access
taken away since → 404), writes the audit row and only then redirects to a presigned GET made at
that moment. Tokens carry ids only, never a filename or anything else about the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core import signing
from django.urls import reverse

from shared_apps.tenancy.db import current_schema_name
from storage.objects import DOWNLOAD_LINK_SECONDS

FileKind = Literal["shared", "upload"]
_KINDS: tuple[FileKind, ...] = ("shared", "upload")


class DownloadLinkExpired(Exception):
    """The link was genuine but is older than `DOWNLOAD_LINK_SECONDS`."""


class DownloadLinkInvalid(Exception):
    """The link was not made by this practice (forged, altered or from another practice)."""


@dataclass(frozen=True)
class DownloadClaim:
    kind: FileKind
    client_id: int
    file_id: int
    staff_id: int


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"portico.documents.download:{current_schema_name()}")


def download_link_path(*, kind: FileKind, client_id: int, file_id: int, staff_id: int) -> str:
    """The path of a link to one file for one staff member, valid from now for
    `DOWNLOAD_LINK_SECONDS`. Call it only after the access check."""
    token = _signer().sign_object([kind, client_id, file_id, staff_id], compress=False)
    return reverse("documents-link:open", kwargs={"token": token})


def download_link_read(token: str) -> DownloadClaim:
    """What a link grants. Raises DownloadLinkExpired or DownloadLinkInvalid."""
    try:
        kind, client_id, file_id, staff_id = _signer().unsign_object(
            token, max_age=DOWNLOAD_LINK_SECONDS
        )
    except signing.SignatureExpired as error:
        raise DownloadLinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise DownloadLinkInvalid from error
    if kind not in _KINDS or not all(isinstance(n, int) for n in (client_id, file_id, staff_id)):
        raise DownloadLinkInvalid
    return DownloadClaim(kind=kind, client_id=client_id, file_id=file_id, staff_id=staff_id)
