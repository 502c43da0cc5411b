"""Isolation cases for filling and signing forms (portal > Documents & forms), the staff pages of
submissions and signature evidence, and the submissions API.

With a signed submission of A's client in place (and B's client filling nothing of A's): B's
client on B's host asks for A's share by id and gets 404 (the list shows nothing of A's); B's
owner asks for A's client and submission by id and gets 404 (lists show nothing of A's); the
other role gets 403; B's cookies on A's host get sign-in (pages) or 403 (API). Afterwards both
practices' shares, submissions, signatures, notifications, outbox and audit log are as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import FormShare, FormSubmission, SignatureEvidence
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast, PracticeCast
from tests.support.forms_fill import (
    SIGNATURE_FIELD,
    client_browser,
    make_form,
    png_data_url,
    portal_client,
    submitted,
)
from tests.support.isolation import anonymous_status, b_people_send, sender

_TITLE = "Canaryfill Isolationform"
_QUESTION = "Canaryfill question"
_ANSWER = "Canaryfill-answer-of-A"
_TYPED = "Canaryfill Signername"


@dataclass(frozen=True)
class _OfA:
    client_id: int
    share_id: int
    submission_id: int


def _own_client(practice: PracticeCast) -> Client:
    """The client record of the cast's client account (made once per test)."""
    with practice.schema():
        existing = (
            Client.objects.select_related("account").filter(account=practice.client_user).first()
        )
    return existing or portal_client(practice)


def _skip_client_ids_of_b(cast: Cast) -> None:
    """Ids are per schema: advance A's client ids past any id B's clients use, so that B's
    owner asking for A's client id cannot land on a client of B's own."""
    with cast.b.schema():
        taken = set(Client.objects.values_list("pk", flat=True))
    with cast.a.schema():
        while True:
            probe = Client.objects.create(first_name="Probe", last_name="Probe")
            probe_id = probe.pk
            probe.delete()
            if probe_id + 1 not in taken:
                return


def _signed_submission_of_a(cast: Cast) -> _OfA:
    with cast.a.schema():
        is_new = not Client.objects.filter(account=cast.a.client_user).exists()
    if is_new:
        _skip_client_ids_of_b(cast)
    client = _own_client(cast.a)
    fields = [
        {"key": "q", "type": "short_text", "label": _QUESTION, "required": True},
        SIGNATURE_FIELD,
    ]
    submission = submitted(
        cast.a,
        client,
        make_form(cast.a, fields, title=_TITLE),
        {"a-q": _ANSWER, "signature-typed-name": _TYPED, "signature-drawn": png_data_url()},
    )
    with cast.b.schema():
        assert not FormShare.objects.filter(pk=submission.share_id).exists()
        assert not FormSubmission.objects.filter(pk=submission.pk).exists()
    return _OfA(client_id=client.pk, share_id=submission.share_id, submission_id=submission.pk)


def _practice_state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(FormShare.objects.order_by("pk").values()),
            list(FormSubmission.objects.order_by("pk").values()),
            list(SignatureEvidence.objects.order_by("pk").values()),
            StaffNotification.objects.count(),
            OutboundEmail.objects.count(),
            # A list page audits what its viewer was shown (nothing of A's, on B).
            AuditEntry.objects.exclude(action__startswith="signin.")
            .exclude(action="form.listed")
            .count(),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    return _practice_state(cast.a), _practice_state(cast.b)


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (_TITLE, _QUESTION, _ANSWER, _TYPED, cast.a.practice.name, cast.a.owner.email):
        assert secret.encode() not in content, secret


def _portal_case(
    method: str, path: str, *, b_client_status: int, data: dict[str, Any] | None = None
) -> Callable[[Cast], None]:
    """A client page; `path` may hold `{share}`."""

    def case(cast: Cast) -> None:
        of_a = _signed_submission_of_a(cast)
        _own_client(cast.b)
        target = path.format(share=of_a.share_id)
        b_people_send(
            cast,
            sender(method, target, data),
            b_staff=403,
            b_client=b_client_status,
            cookie_on_a=302,
            nothing_of_a=_assert_nothing_of_a,
            unchanged=lambda: _state(cast),
            context=target,
        )
        if method == "get":  # A's own client still reaches it
            assert client_browser(cast.a).get(target).status_code == 200

    return case


def _staff_case(
    method: str,
    path: str,
    *,
    b_staff_status: int,
    is_api: bool = False,
) -> Callable[[Cast], None]:
    """A staff page or API route; `path` may hold `{client}` and `{submission}`."""

    def case(cast: Cast) -> None:
        of_a = _signed_submission_of_a(cast)
        target = path.format(client=of_a.client_id, submission=of_a.submission_id)
        b_people_send(
            cast,
            sender(method, target),
            b_staff=b_staff_status,
            b_client=403,
            cookie_on_a=anonymous_status(is_api=is_api),
            nothing_of_a=_assert_nothing_of_a,
            unchanged=lambda: _state(cast),
            context=target,
        )

    return case


_STAFF = "/staff/clients/{client}/forms"
_API = "/api/v1/submissions"

CASES: dict[str, Callable[[Cast], None]] = {
    "portal-forms:documents": _portal_case("get", "/documents/", b_client_status=200),
    "portal-forms:fill": _portal_case("get", "/documents/forms/{share}/", b_client_status=404),
    "portal-forms:draft": _portal_case(
        "post", "/documents/forms/{share}/draft/", b_client_status=404, data={"a-q": "B wrote"}
    ),
    "portal-forms:pdf": _portal_case("get", "/documents/forms/{share}/pdf/", b_client_status=404),
    "submissions:client-forms": _staff_case("get", f"{_STAFF}/", b_staff_status=404),
    "submissions:detail": _staff_case("get", f"{_STAFF}/{{submission}}/", b_staff_status=404),
    "submissions:pdf": _staff_case("get", f"{_STAFF}/{{submission}}/pdf/", b_staff_status=404),
    "submissions:signature": _staff_case(
        "get", f"{_STAFF}/{{submission}}/signature/", b_staff_status=404
    ),
    "submissions:signature-pdf": _staff_case(
        "get", f"{_STAFF}/{{submission}}/signature/pdf/", b_staff_status=404
    ),
    "submissions:verify": _staff_case(
        "post", f"{_STAFF}/{{submission}}/signature/verify/", b_staff_status=404
    ),
    "submissions-api:submissions": _staff_case("get", f"{_API}/", b_staff_status=200, is_api=True),
    "submissions-api:submission": _staff_case(
        "get", f"{_API}/{{submission}}/", b_staff_status=404, is_api=True
    ),
    "submissions-api:pdf": _staff_case(
        "get", f"{_API}/{{submission}}/pdf/", b_staff_status=404, is_api=True
    ),
}


_fill_post = _portal_case(
    "post", "/documents/forms/{share}/", b_client_status=404, data={"a-q": "B wrote"}
)
_fill_get = CASES["portal-forms:fill"]


def _fill(cast: Cast) -> None:
    """GET as above, then a POST (submitting) of A's share from B: 404, nothing changes."""
    _fill_get(cast)
    _fill_post(cast)


CASES["portal-forms:fill"] = _fill
