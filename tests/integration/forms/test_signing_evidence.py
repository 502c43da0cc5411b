"""E-signature: typed name plus a drawn signature or the keyboard confirmation, the signature
evidence record (signer, time, IP, user agent, version, SHA-256 of the canonical answers), the
staff evidence page and PDF, and "verify" detecting answers changed after signing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import time_machine

from tenant_apps.audit.models import AuditEntry
from tenant_apps.forms.models import FormSubmission, SignatureEvidence, SubmissionState
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tests.cast import Cast
from tests.support.forms_fill import (
    EVERY_TYPE,
    SIGNATURE_FIELD,
    VALID_ANSWERS,
    VALID_POST,
    client_browser,
    make_form,
    png_data_url,
    portal_client,
    share,
    submission_of,
    submitted,
)

pytestmark = pytest.mark.django_db

SIGNED_FIELDS = [*EVERY_TYPE, SIGNATURE_FIELD]


# --- Signing in the portal ------------------------------------------------------------------------
def test_signing_with_a_drawn_signature_records_the_evidence(cast: Cast) -> None:
    assert cast.a.clinician is not None
    client = portal_client(cast.a, clinician=cast.a.clinician)
    form = make_form(cast.a, SIGNED_FIELDS, title="Consent")
    form_share = share(cast.a, client, form)
    drawn = png_data_url()
    page = client_browser(cast.a).get(f"/documents/forms/{form_share.pk}/").content.decode()
    assert '<label for="signature-typed-name">Your full name</label>' in page
    assert "I confirm this typed name as my signature" in page
    assert "data-signature-pad hidden" in page  # shown by the script; the checkbox works without
    assert "Sign and submit" in page

    with time_machine.travel("2026-03-02 10:30:00Z", tick=False):
        response = client_browser(cast.a).post(
            f"/documents/forms/{form_share.pk}/",
            {
                **VALID_POST,
                "signature-typed-name": "  Quinn   Clientworth ",
                "signature-drawn": drawn,
            },
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="TestBrowser/1.0",
        )
    assert response.status_code == 302, response.content.decode()[:3000]

    submission = submission_of(cast.a, form_share)
    assert submission is not None
    with cast.a.schema():
        evidence = SignatureEvidence.objects.get(submission=submission)
        signed_audit = AuditEntry.objects.get(action="form.signed")
        kinds = set(StaffNotification.objects.values_list("kind", flat=True))
    assert evidence.signer_id == cast.a.client_user.pk
    assert evidence.typed_name == "Quinn Clientworth"
    assert evidence.drawn_signature == drawn
    assert evidence.signed_at.isoformat() == "2026-03-02T10:30:00+00:00"
    assert evidence.ip_address == "203.0.113.9"
    assert evidence.user_agent == "TestBrowser/1.0"
    assert evidence.version_id == submission.version_id
    expected_document = json.dumps(
        {
            "answers": VALID_ANSWERS,
            "form_id": form.pk,
            "format": "portico-answers-v1",
            "version_id": submission.version_id,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert evidence.answers_sha256 == hashlib.sha256(expected_document).hexdigest()
    assert signed_audit.detail == {
        "submission_id": submission.pk,
        "version_id": submission.version_id,
        "drawn": True,
    }
    assert kinds == {StaffNotificationKind.FORM_SIGNED}


@pytest.mark.parametrize(
    ("peer", "recorded"),
    [
        ("10.0.0.7", "198.51.100.23"),  # the ingress: the client is the hop it appended
        ("203.0.113.50", "203.0.113.50"),  # anyone else: their X-Forwarded-For is ignored
    ],
)
def test_the_evidence_records_the_clients_ip_behind_the_trusted_proxy(
    cast: Cast, settings: Any, peer: str, recorded: str
) -> None:
    """Issue 10 §1: behind the ingress every request came from the proxy's address, so every
    signature recorded it; the client's IP is read through the trusted proxy chain."""
    settings.PORTICO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    form_share = share(cast.a, portal_client(cast.a), make_form(cast.a, SIGNED_FIELDS))
    response = client_browser(cast.a).post(
        f"/documents/forms/{form_share.pk}/",
        {**VALID_POST, "signature-typed-name": "Quinn Clientworth", "signature-confirm": "1"},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.23",
    )
    assert response.status_code == 302
    with cast.a.schema():
        evidence = SignatureEvidence.objects.get(submission__share=form_share)
        audit_ips = set(
            AuditEntry.objects.filter(action__in=["form.signed", "form.submitted"]).values_list(
                "ip", flat=True
            )
        )
    assert evidence.ip_address == recorded
    assert audit_ips == {recorded}


def test_the_typed_name_can_be_confirmed_instead_of_drawing(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, SIGNED_FIELDS))
    response = client_browser(cast.a).post(
        f"/documents/forms/{form_share.pk}/",
        {**VALID_POST, "signature-typed-name": "Quinn Clientworth", "signature-confirm": "1"},
    )
    assert response.status_code == 302
    with cast.a.schema():
        evidence = SignatureEvidence.objects.get(submission__share=form_share)
    assert evidence.drawn_signature == ""
    assert evidence.typed_name == "Quinn Clientworth"


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ({}, "Sign the form: type your full name and draw or confirm it."),
        ({"signature-confirm": "1"}, "Type your full name to sign."),
        (
            {"signature-typed-name": "Quinn"},
            "Draw your signature, or tick the box to confirm your typed name as your signature.",
        ),
        (
            {"signature-typed-name": "Quinn", "signature-drawn": "data:image/png;base64,AAAA"},
            "The drawn signature could not be read. Clear it and draw it again.",
        ),
        (
            {
                "signature-typed-name": "Quinn",
                "signature-drawn": "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
            },
            "The drawn signature could not be read. Clear it and draw it again.",
        ),
    ],
    ids=["nothing", "no-name", "neither-drawn-nor-confirmed", "broken-png", "not-a-png"],
)
def test_an_incomplete_signature_is_refused_with_a_message(
    cast: Cast, signature: dict[str, str], message: str
) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, SIGNED_FIELDS))
    response = client_browser(cast.a).post(
        f"/documents/forms/{form_share.pk}/", {**VALID_POST, **signature}
    )
    assert response.status_code == 200
    assert f"Signature: {message}" in response.content.decode()
    with cast.a.schema():
        assert not SignatureEvidence.objects.exists()
        assert FormSubmission.objects.get(share=form_share).state == SubmissionState.DRAFT


# --- Staff: evidence page, PDF, verify ------------------------------------------------------------
def _signed(cast: Cast) -> tuple[int, FormSubmission]:
    assert cast.a.clinician is not None
    client = portal_client(cast.a, clinician=cast.a.clinician)
    submission = submitted(
        cast.a,
        client,
        make_form(cast.a, SIGNED_FIELDS, title="Consent"),
        {
            **VALID_POST,
            "signature-typed-name": "Quinn Clientworth",
            "signature-drawn": png_data_url(),
        },
    )
    return client.pk, submission


def test_staff_see_the_evidence_record_and_the_view_is_audited(cast: Cast) -> None:
    client_id, submission = _signed(cast)
    with cast.a.schema():
        evidence = SignatureEvidence.objects.get(submission=submission)
    page = cast.a.signed_in(cast.a.owner).get(
        f"/staff/clients/{client_id}/forms/{submission.pk}/signature/"
    )
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert "Signature evidence record" in html
    assert f'<code id="answers-sha256">{evidence.answers_sha256}</code>' in html
    assert "Quinn Clientworth" in html
    assert cast.a.client_user.email in html
    assert 'src="data:image/png;base64,' in html
    with cast.a.schema():
        viewed = AuditEntry.objects.get(action="signature.viewed")
    assert (viewed.actor_id, viewed.object_id) == (cast.a.owner.pk, str(evidence.pk))


def test_evidence_pdf_is_an_audited_attachment(cast: Cast) -> None:
    client_id, submission = _signed(cast)
    response = cast.a.signed_in(cast.a.clinician or cast.a.owner).get(
        f"/staff/clients/{client_id}/forms/{submission.pk}/signature/pdf/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with cast.a.schema():
        evidence = SignatureEvidence.objects.get(submission=submission)
        downloaded = AuditEntry.objects.get(action="signature.downloaded")
    assert response["Content-Disposition"] == (
        f'attachment; filename="signature-evidence-{evidence.pk}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert downloaded.object_id == str(evidence.pk)


def test_verify_reports_intact_then_detects_a_changed_answer(cast: Cast) -> None:
    client_id, submission = _signed(cast)
    staff = cast.a.signed_in(cast.a.owner)
    verify = f"/staff/clients/{client_id}/forms/{submission.pk}/signature/verify/"

    intact = staff.post(verify, follow=True)
    assert intact.status_code == 200
    assert "Verified: intact." in intact.content.decode()

    with cast.a.schema():
        row = FormSubmission.objects.get(pk=submission.pk)
        row.answers = {**row.answers, "story": "Edited behind the signer's back"}
        row.save(update_fields=["answers"])

    tampered = staff.post(verify, follow=True).content.decode()
    assert "does not match — the answers changed after signing" in tampered
    with cast.a.schema():
        outcomes = list(
            AuditEntry.objects.filter(action="signature.verified")
            .order_by("pk")
            .values_list("detail", flat=True)
        )
    assert [outcome["intact"] for outcome in outcomes] == [True, False]
    assert staff.get(verify).status_code == 405  # a change of state only by POST
