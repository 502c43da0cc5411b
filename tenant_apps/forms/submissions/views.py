"""Staff pages for what clients submitted (`/staff/clients/<id>/forms/`): the client's Forms tab,
a submission with the version the client saw, its PDF, the signature evidence record (page and
PDF) and the "verify" action.

Answers are clinical content: only owners and the client's assigned clinician get in
(`staff_required(OWNER, CLINICIAN)`, then `access_client` and `access_submission`, each 404 for
missing and not-yours). Every view of answers, download and evidence view is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.clients.selectors import access_client
from tenant_apps.forms.evidence import CANONICAL_FORMAT, answers_intact
from tenant_apps.forms.filling import answer_rows
from tenant_apps.forms.models import FormSubmission, SignatureEvidence, SubmissionState
from tenant_apps.forms.pdf import evidence_pdf
from tenant_apps.forms.submissions.downloads import (
    pdf_context,
    pdf_response,
    submission_pdf_response,
)
from tenant_apps.forms.submissions.selectors import (
    SUBMISSION_READERS,
    access_signature,
    access_submission,
    client_form_overview,
    share_submission,
    submission_signature,
)
from tenant_apps.forms.submissions.services import signature_verify


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        f"forms/submissions/{template}",
        {"practice": current_practice(), **context},
    )


def _client_submission(
    viewer: User, client_id: int, submission_id: int
) -> tuple[Client, FormSubmission]:
    """The client and their submission, each 404 when missing or not the viewer's to read."""
    client = access_client(viewer=viewer, client_id=client_id)
    return client, access_submission(viewer=viewer, client=client, submission_id=submission_id)


def _client_evidence(
    viewer: User, client_id: int, submission_id: int
) -> tuple[Client, SignatureEvidence]:
    """The client and the signature evidence of their submission (404 as above)."""
    client = access_client(viewer=viewer, client_id=client_id)
    return client, access_signature(viewer=viewer, client=client, submission_id=submission_id)


def _is_intact(evidence: SignatureEvidence, submission: FormSubmission) -> bool:
    return answers_intact(
        expected_sha256=evidence.answers_sha256,
        form_id=submission.share.form_id,
        version_id=evidence.version_id,
        answers=submission.answers or {},
    )


@staff_required(*SUBMISSION_READERS)
@never_cache
@require_GET
def client_forms_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's forms: state, when, score and severity band, flags, whether signed."""
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    rows = []
    for share in client_form_overview(client):
        submission = share_submission(share)
        rows.append(
            {
                "share": share,
                "submission": submission,
                "is_submitted": submission is not None
                and submission.state == SubmissionState.SUBMITTED,
                "signature": submission_signature(submission) if submission else None,
            }
        )
    audit_record(
        action=AuditAction.FORM_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        object_id=client.pk,
        detail={"shown": len(rows)},
    )
    return _render(request, "client_forms.html", {"client": client, "rows": rows})


@staff_required(*SUBMISSION_READERS)
@never_cache
@require_GET
def submission_detail_page(
    request: HttpRequest, client_id: int, submission_id: int
) -> HttpResponse:
    """The answers with the questions of the version the client saw; audited `form.viewed`."""
    viewer = staff_user(request)
    client, submission = _client_submission(viewer, client_id, submission_id)
    audit_record(
        action=AuditAction.FORM_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="form_submission",
        object_id=submission.pk,
        detail={"form_id": submission.share.form_id, "version_id": submission.version_id},
    )
    latest = submission.share.form.latest_version
    return _render(
        request,
        "detail.html",
        {
            "client": client,
            "submission": submission,
            "form": submission.share.form,
            "rows": answer_rows(submission.version.field_list, submission.answers or {}),
            "signature": submission_signature(submission),
            "is_latest_version": latest is None or latest.pk == submission.version_id,
        },
    )


@staff_required(*SUBMISSION_READERS)
@require_GET
def submission_pdf_download(
    request: HttpRequest, client_id: int, submission_id: int
) -> HttpResponse:
    """The completed form as a PDF attachment; audited `form.downloaded`."""
    viewer = staff_user(request)
    _client, submission = _client_submission(viewer, client_id, submission_id)
    return submission_pdf_response(
        actor=viewer, origin=request_origin(request), submission=submission, by="staff"
    )


@staff_required(*SUBMISSION_READERS)
@never_cache
@require_GET
def signature_page(request: HttpRequest, client_id: int, submission_id: int) -> HttpResponse:
    """The signature evidence record; audited `signature.viewed`."""
    viewer = staff_user(request)
    client, evidence = _client_evidence(viewer, client_id, submission_id)
    audit_record(
        action=AuditAction.SIGNATURE_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="signature_evidence",
        object_id=evidence.pk,
        detail={"submission_id": evidence.submission_id},
    )
    return _render(
        request,
        "signature.html",
        {
            "client": client,
            "evidence": evidence,
            "submission": evidence.submission,
            "canonical_format": CANONICAL_FORMAT,
        },
    )


@staff_required(*SUBMISSION_READERS)
@require_GET
def signature_pdf_download(
    request: HttpRequest, client_id: int, submission_id: int
) -> HttpResponse:
    """The evidence record as a PDF attachment (with the verification outcome at that moment);
    audited `signature.downloaded`."""
    viewer = staff_user(request)
    _client, evidence = _client_evidence(viewer, client_id, submission_id)
    content = evidence_pdf(
        evidence=evidence,
        is_intact=_is_intact(evidence, evidence.submission),
        context=pdf_context(),
    )
    audit_record(
        action=AuditAction.SIGNATURE_DOWNLOADED,
        actor=viewer,
        origin=request_origin(request),
        object_type="signature_evidence",
        object_id=evidence.pk,
        detail={"submission_id": evidence.submission_id, "format": "pdf"},
    )
    return pdf_response(content, filename=f"signature-evidence-{evidence.pk}.pdf")


@staff_required(*SUBMISSION_READERS)
@require_POST
def signature_verify_action(
    request: HttpRequest, client_id: int, submission_id: int
) -> HttpResponse:
    """Recompute the answers' hash and report the outcome (audited `signature.verified`)."""
    viewer = staff_user(request)
    client, evidence = _client_evidence(viewer, client_id, submission_id)
    if signature_verify(actor=viewer, origin=request_origin(request), evidence=evidence):
        messages.success(request, "Verified: intact. The answers are exactly those signed.")
    else:
        messages.error(
            request,
            "Verification failed: the hash does not match — the answers changed after signing.",
        )
    return redirect("submissions:signature", client_id=client.pk, submission_id=submission_id)
