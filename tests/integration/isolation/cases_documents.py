"""Isolation cases for documents (tenant_apps/documents): staff pages, the API and the client's
portal pages.

With A's client holding a shared document, a pending share slot, an upload and a pending upload
slot (real objects in S3): B's owner asks on B's host for them by A's ids (404), B's client with
no record gets 403, B's client *with* a record gets 404 for A's ids, and cookies carried to the
other host get sign-in (403 from the API). Afterwards both practices' rows, audit logs, outboxes,
staff notifications and S3 prefixes are exactly as before, and no presigned URL of A's was given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client as Browser

from storage.client import s3_client
from tenant_apps.audit.models import AuditEntry
from tenant_apps.documents.links import download_link_path
from tenant_apps.documents.models import ClientUpload, SharedDocument
from tenant_apps.documents.services import (
    client_upload_confirm,
    client_upload_slot_create,
    shared_document_confirm,
    shared_document_slot_create,
)
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast, PracticeCast
from tests.support.documents import PDF_BYTES, keys_of, portal_client, post_to_s3
from tests.support.isolation import (
    anonymous_status,
    assert_anonymous,
    b_people_send,
    cookie_carried,
)

_CANARY_NAME = ("Isla", "Isolatedocs")
_CANARY_EMAIL = "isla.docs"  # every world's client has an address starting with it
_worlds = itertools.count()
_CANARY_FILE = "isla-private-letter.pdf"


@dataclass
class _World:
    client_id: int
    document_id: int
    pending_document_id: int
    upload_id: int
    pending_upload_id: int
    a_client_browser: Browser
    keys_before: set[str]


def _world(cast: Cast) -> _World:
    keys_before = keys_of(cast.a) | keys_of(cast.b)
    client, browser = portal_client(
        cast.a,
        first=_CANARY_NAME[0],
        last=_CANARY_NAME[1],
        email=f"{_CANARY_EMAIL}{next(_worlds)}@example.org",
    )
    with cast.a.schema():
        document, form = shared_document_slot_create(
            actor=cast.a.owner, client=client, filename=_CANARY_FILE
        )
        post_to_s3(form.as_json(), PDF_BYTES)
        shared_document_confirm(actor=cast.a.owner, document=document)
        pending, _ = shared_document_slot_create(
            actor=cast.a.owner, client=client, filename=_CANARY_FILE
        )
        assert client.account is not None
        upload, form = client_upload_slot_create(
            actor=client.account, client=client, filename=_CANARY_FILE
        )
        post_to_s3(form.as_json(), PDF_BYTES)
        client_upload_confirm(actor=client.account, upload=upload)
        pending_upload, _ = client_upload_slot_create(
            actor=client.account, client=client, filename=_CANARY_FILE
        )
    return _World(
        client.pk, document.pk, pending.pk, upload.pk, pending_upload.pk, browser, keys_before
    )


def _cleanup(cast: Cast, world: _World) -> None:
    for key in (keys_of(cast.a) | keys_of(cast.b)) - world.keys_before:
        s3_client().delete_object(Bucket=settings.PORTICO_S3_BUCKET, Key=key)


def _practice_state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(SharedDocument.objects.order_by("pk").values()),
            list(ClientUpload.objects.order_by("pk").values()),
            AuditEntry.objects.exclude(action__startswith="signin.").count(),
            OutboundEmail.objects.count(),
            StaffNotification.objects.count(),
            keys_of(practice),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a), _practice_state(cast.b)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (
        *_CANARY_NAME,
        _CANARY_EMAIL,
        _CANARY_FILE,
        cast.a.practice.name,
        str(cast.a.practice.uuid),
        cast.a.owner.email,
    ):
        assert secret.encode() not in content, secret


def _path(template: str, world: _World) -> str:
    return template.format(
        client=world.client_id,
        document=world.document_id,
        pending=world.pending_document_id,
        upload=world.upload_id,
        pending_upload=world.pending_upload_id,
    )


def _staff_case(
    method: str, template: str, *, is_api: bool = False, data: dict[str, Any] | None = None
) -> Callable[[Cast], None]:
    def case(cast: Cast) -> None:
        world = _world(cast)
        try:
            path = _path(template, world)
            kwargs: dict[str, Any] = (
                {"content_type": "application/json"}
                if is_api
                else {"HTTP_ACCEPT": "application/json"}
            )

            def send(browser: Browser) -> Any:
                return getattr(browser, method)(path, data or {}, **kwargs)

            staff_on_b, client_on_b, *_ = b_people_send(
                cast,
                send,
                b_staff=404,
                b_client=403,
                cookie_on_a=anonymous_status(is_api=is_api),
                nothing_of_a=_assert_nothing_of_a,
                unchanged=lambda: _state(cast),
                context=path,
            )
            for response in (staff_on_b, client_on_b):
                assert response.get("Location") is None
        finally:
            _cleanup(cast, world)

    return case


def _portal_case(
    method: str, template: str, *, b_client_status: int | None
) -> Callable[[Cast], None]:
    """A's client's cookie on B's host: sign-in. B's own signed-in client (with uploads on) asking
    for A's ids: `b_client_status` (None: not tried, the route would create B's own row)."""

    def case(cast: Cast) -> None:
        world = _world(cast)
        try:
            _, b_client = portal_client(
                cast.b, first="Bo", last="Bclient", email="bo.bclient@example.org"
            )
            path = _path(template, world)
            before = _state(cast)
            on_b = cookie_carried(world.a_client_browser, cast.b)
            response = getattr(on_b, method)(path, HTTP_ACCEPT="application/json")
            assert_anonymous(response, 302, path)
            no_record = getattr(cast.b.signed_in(cast.b.client_user), method)(path)
            assert no_record.status_code == 403
            if b_client_status is not None:
                response = getattr(b_client, method)(path, HTTP_ACCEPT="application/json")
                assert response.status_code == b_client_status, (path, response.status_code)
                _assert_nothing_of_a(response.content, cast)
                if b_client_status != 302:
                    assert response.get("Location") is None
            assert _state(cast) == before
        finally:
            _cleanup(cast, world)

    return case


def _both(*cases: Callable[[Cast], None]) -> Callable[[Cast], None]:
    def case(cast: Cast) -> None:
        for each in cases:
            each(cast)

    return case


def _link_case(cast: Cast) -> None:
    """A download link made for A's owner and A's file is refused on B's host, and a link made in
    B with A's ids is refused on A's host: the signing salt holds the practice's schema."""
    world = _world(cast)
    try:
        link_of = {}
        for practice in (cast.a, cast.b):
            with practice.schema():
                link_of[practice.host] = download_link_path(
                    kind="shared",
                    client_id=world.client_id,
                    file_id=world.document_id,
                    staff_id=cast.a.owner.pk,
                )
        before = _state(cast)
        for host, other in ((cast.a.host, cast.b), (cast.b.host, cast.a)):
            response = other.http().get(link_of[host])
            assert response.status_code == 404, (other.host, response.status_code)
            assert "Location" not in response
            _assert_nothing_of_a(response.content, cast)
        assert _state(cast) == before
    finally:
        _cleanup(cast, world)


_STAFF = "/staff/clients/{client}/documents"
_API = "/api/v1/clients/{client}"

CASES: dict[str, Callable[[Cast], None]] = {
    "documents:tab": _staff_case("get", f"{_STAFF}/"),
    "documents:share": _staff_case("post", f"{_STAFF}/share/", data={"filename": "x.pdf"}),
    "documents:confirm": _staff_case("post", f"{_STAFF}/shared/{{pending}}/confirm/"),
    "documents:unshare": _staff_case("post", f"{_STAFF}/shared/{{document}}/unshare/"),
    "documents:shared-download": _staff_case("get", f"{_STAFF}/shared/{{document}}/download/"),
    "documents:upload-download": _staff_case("get", f"{_STAFF}/uploads/{{upload}}/download/"),
    "documents-api:documents": _both(
        _staff_case("get", f"{_API}/documents/", is_api=True),
        _staff_case("post", f"{_API}/documents/", is_api=True, data={"filename": "x.pdf"}),
    ),
    "documents-api:document": _staff_case("delete", f"{_API}/documents/{{document}}/", is_api=True),
    "documents-api:confirm": _staff_case(
        "post", f"{_API}/documents/{{pending}}/confirm/", is_api=True
    ),
    "documents-api:download": _staff_case(
        "get", f"{_API}/documents/{{document}}/download/", is_api=True
    ),
    "documents-api:upload-download": _staff_case(
        "get", f"{_API}/uploads/{{upload}}/download/", is_api=True
    ),
    "documents-link:open": _link_case,
    "documents-portal:shared": _portal_case("get", "/documents/shared/", b_client_status=200),
    "documents-portal:download": _portal_case(
        "get", "/documents/shared/{document}/download/", b_client_status=404
    ),
    "documents-portal:uploads": _portal_case("get", "/documents/uploads/", b_client_status=200),
    "documents-portal:upload-slot": _portal_case(
        "post", "/documents/uploads/new/", b_client_status=None
    ),
    "documents-portal:upload-confirm": _portal_case(
        "post", "/documents/uploads/{pending_upload}/confirm/", b_client_status=404
    ),
}
