"""Isolation cases for the form builder (`/staff/forms/`), a client's documentation page and the
forms API (tenant_apps/forms: builder and sharing).

With a custom form of A (and a client of A it is shared with) in place: B's owner on B's host asks
for A's form or client by id and gets 404 (lists show nothing of A's); B's client gets 403; B's
people's cookies on A's host get sign-in (pages) or 403 (API). Afterwards both practices' forms,
versions, shares, outbox and audit log are exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import Form, FormShare, FormVersion
from tenant_apps.forms.services import client_forms_share, form_archive, form_create
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import Cast, PracticeCast
from tests.support.isolation import (
    anonymous_status,
    b_people_send,
    client_of_a,
    sender,
)

FORM_TITLE = "Canaryform Isolationtitle"
_QUESTION = "Canaryquestion about isolation"
_CLIENT = ("Fenella", "Formsharedelsewhere")


def _form_of_a(cast: Cast, *, archived: bool = False) -> Form:
    with cast.a.schema():
        form = form_create(
            actor=cast.a.owner,
            title=FORM_TITLE,
            fields=[{"key": "q1", "type": "short_text", "label": _QUESTION}],
        )
        if archived:
            form_archive(actor=cast.a.owner, form=form)
    with cast.b.schema():
        # Ids are per schema: make sure the id does not also name one of B's own forms.
        assert not Form.objects.filter(pk=form.pk).exists()
    return form


def _client_of_a(cast: Cast, form: Form) -> Client:
    client = client_of_a(cast, _CLIENT)
    with cast.a.schema():
        client_forms_share(actor=cast.a.owner, client=client, form_ids=[form.pk], notify=False)
    return client


def _practice_state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(Form.objects.order_by("pk").values_list("pk", "title", "is_archived")),
            list(FormVersion.objects.order_by("pk").values_list("pk", "number", "fields")),
            list(FormShare.objects.order_by("pk").values_list("pk", "form_id", "unshared_at")),
            OutboundEmail.objects.count(),
            AuditEntry.objects.exclude(action__startswith="signin.").count(),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a), _practice_state(cast.b)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (FORM_TITLE, _QUESTION, *_CLIENT, cast.a.practice.name, cast.a.owner.email):
        assert secret.encode() not in content, secret


def _case(
    method: str,
    path: str,
    *,
    b_staff_status: int | None,
    is_api: bool = False,
    data: dict[str, Any] | None = None,
    archived: bool = False,
    with_client: bool = False,
) -> Callable[[Cast], None]:
    """`path` and `data` may hold `{form}` and `{client}`, replaced by the ids of A's form and
    A's client. `b_staff_status` None: B's owner is not sent this request (it would change B's
    own data, legitimately)."""

    def case(cast: Cast) -> None:
        form = _form_of_a(cast, archived=archived)
        client = _client_of_a(cast, form) if with_client else None
        ids = {"form": form.pk, "client": client.pk if client else 0}
        target = path.format(**ids)
        payload: Any = {key: str(value).format(**ids) for key, value in (data or {}).items()}
        if is_api and "form_ids" in payload:
            payload["form_ids"] = [int(payload["form_ids"])]
        b_people_send(
            cast,
            sender(method, target, payload, is_api=is_api),
            b_staff=b_staff_status,
            b_client=403,
            cookie_on_a=anonymous_status(is_api=is_api),
            nothing_of_a=_assert_nothing_of_a,
            unchanged=lambda: _state(cast),
            context=target,
        )

    return case


_EDIT = {"title": "Changed by B", "count": "1", "f-0-type": "short_text", "f-0-label": "B's"}

CASES: dict[str, Callable[[Cast], None]] = {
    "forms:list": _case("get", "/staff/forms/?archived=1", b_staff_status=200),
    "forms:create": _case("get", "/staff/forms/new/", b_staff_status=200),
    "forms:edit": _case("post", "/staff/forms/{form}/edit/", b_staff_status=404, data=_EDIT),
    "forms:archive": _case("post", "/staff/forms/{form}/archive/", b_staff_status=404),
    "forms:unarchive": _case(
        "post", "/staff/forms/{form}/unarchive/", b_staff_status=404, archived=True
    ),
    "forms-documentation:documentation": _case(
        "post",
        "/staff/clients/{client}/portal/documentation/",
        b_staff_status=404,
        data={"message": "Canary", "form": "{form}"},
        with_client=True,
    ),
    "forms-api:forms": _case(
        "get", "/api/v1/forms/?include_archived=true", b_staff_status=200, is_api=True
    ),
    "forms-api:form": _case("get", "/api/v1/forms/{form}/", b_staff_status=404, is_api=True),
    "forms-api:client-forms": _case(
        "get", "/api/v1/clients/{client}/forms/", b_staff_status=404, is_api=True, with_client=True
    ),
    "forms-api:client-forms-share": _case(
        "post",
        "/api/v1/clients/{client}/forms/share/",
        b_staff_status=404,
        is_api=True,
        data={"form_ids": "{form}"},
        with_client=True,
    ),
    "forms-api:client-forms-unshare": _case(
        "post",
        "/api/v1/clients/{client}/forms/unshare/",
        b_staff_status=404,
        is_api=True,
        data={"form_ids": "{form}"},
        with_client=True,
    ),
}
