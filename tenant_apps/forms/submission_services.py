"""Writing submissions: the client's draft as they go, the submission (with its signature
evidence), and staff verifying a signature.

Audit rows name ids, field keys and flags, never an answer. A submitted form can't be changed:
both writes refuse it with `SubmissionClosed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.web.origin import request_origin
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.forms.evidence import answers_intact, answers_sha256
from tenant_apps.forms.filling import answers_validate, has_signature, signature_required
from tenant_apps.forms.models import (
    FormShare,
    FormSubmission,
    FormVersion,
    SignatureEvidence,
    SubmissionState,
)
from tenant_apps.forms.scoring import score_result
from tenant_apps.forms.signing import CONFIRM_INPUT, SignatureInput
from tenant_apps.onboarding.services import onboarding_completion_check
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.selectors import staff_to_notify_about
from tenant_apps.staff_notifications.services import staff_notify

_USER_AGENT_MAX = 1_000


class SubmissionClosed(Exception):
    """The form was already submitted: nothing about it can change any more."""


class SubmissionInvalid(Exception):
    """The answers (or the signature) need fixing: `errors` maps a field key (or a signature
    input name) to a message for the client."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("The submission has errors.")
        self.errors = dict(errors)


def _locked(share: FormShare) -> tuple[FormShare, FormSubmission | None]:
    """The share and its submission, locked for this transaction (a second tab saving at the
    same moment waits instead of racing)."""
    locked = FormShare.objects.select_for_update().select_related("form").get(pk=share.pk)
    submission = (
        FormSubmission.objects.select_for_update()
        .select_related("version")
        .filter(share=locked)
        .first()
    )
    return locked, submission


def _version_for_start(share: FormShare, version_id: int | None) -> FormVersion:
    """The version the client saw when the page was drawn (posted with the form), else the
    newest: a form edited while the client was filling still records what they answered."""
    versions = FormVersion.objects.filter(form_id=share.form_id)
    if version_id is not None:
        seen = versions.filter(pk=version_id).first()
        if seen is not None:
            return seen
    latest = versions.order_by("-number").first()
    if latest is None:
        raise SubmissionClosed
    return latest


def _start(
    *, request: HttpRequest, share: FormShare, version_id: int | None, answers: dict[str, Any]
) -> FormSubmission:
    version = _version_for_start(share, version_id)
    submission = FormSubmission.objects.create(share=share, version=version, answers=answers)
    audit_record(
        action="form.started",
        request=request,
        object_type="form_submission",
        object_id=submission.pk,
        detail={"share_id": share.pk, "form_id": share.form_id, "version_id": version.pk},
    )
    return submission


def submission_draft_save(
    *,
    request: HttpRequest,
    share: FormShare,
    draft: dict[str, Any],
    version_id: int | None = None,
) -> FormSubmission:
    """Keep the client's answers as typed so far (unvalidated). The first save fixes the version
    and audits `form.started`; later saves only replace the draft answers (no audit row per
    keystroke). Raises SubmissionClosed once the form is submitted."""
    with transaction.atomic():
        share, submission = _locked(share)
        if submission is None:
            return _start(request=request, share=share, version_id=version_id, answers=draft)
        if submission.state == SubmissionState.SUBMITTED:
            raise SubmissionClosed
        submission.answers = draft
        submission.save(update_fields=["answers", "updated_at"])
        return submission


def _staff_link(client: Client, submission: FormSubmission) -> str:
    return reverse(
        "submissions:detail", kwargs={"client_id": client.pk, "submission_id": submission.pk}
    )


def submission_submit(
    *,
    request: HttpRequest,
    client: Client,
    share: FormShare,
    draft: dict[str, Any],
    signature: SignatureInput | None,
    signature_errors: Mapping[str, str] | None = None,
    version_id: int | None = None,
) -> FormSubmission:
    """Validate and submit the client's answers. The draft is saved first whatever happens, so
    nothing typed is lost when validation fails.

    On success, in one transaction: answers stored typed, state `submitted`, score, severity band
    and flags from the version's scoring; a signature evidence record when signed (signer, time,
    IP, user agent, version, SHA-256 of the canonical answers, see evidence.py); audit
    `form.submitted` (and `form.signed`); an in-app notification (`form_signed` or
    `form_completed`) to the owners and the assigned clinician linking to the staff page; then
    the onboarding completion check. `signature_errors` (from `signature_from_post`) are reported
    together with the answers' own. Raises SubmissionInvalid (errors by field key or signature
    input) and SubmissionClosed (already submitted)."""
    user = request.user
    if not isinstance(user, User):
        raise SubmissionClosed
    submission = submission_draft_save(
        request=request, share=share, draft=draft, version_id=version_id
    )
    with transaction.atomic():
        share, locked = _locked(share)
        if locked is None or locked.state == SubmissionState.SUBMITTED:
            raise SubmissionClosed
        submission = locked
        version = submission.version
        answers, errors = answers_validate(version.field_list, draft)
        if has_signature(version.field_list):
            errors.update(signature_errors or {})
            if (
                signature is None
                and not signature_errors
                and signature_required(version.field_list)
            ):
                errors[CONFIRM_INPUT] = "Sign the form: type your full name and draw or confirm it."
        if errors:
            raise SubmissionInvalid(errors)
        result = score_result(version, answers)
        now = timezone.now()
        submission.answers = answers
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = now
        submission.score = result.score
        submission.severity = result.band
        submission.flags = result.flags
        submission.save()
        is_signed = signature is not None and has_signature(version.field_list)
        if signature is not None and is_signed:
            evidence = SignatureEvidence.objects.create(
                submission=submission,
                signer=user,
                typed_name=signature.typed_name,
                drawn_signature=signature.drawn_signature,
                signed_at=now,
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.headers.get("User-Agent", "")[:_USER_AGENT_MAX],
                version=version,
                answers_sha256=answers_sha256(
                    form_id=share.form_id, version_id=version.pk, answers=answers
                ),
            )
            audit_record(
                action="form.signed",
                request=request,
                object_type="signature_evidence",
                object_id=evidence.pk,
                detail={
                    "submission_id": submission.pk,
                    "version_id": version.pk,
                    "drawn": bool(signature.drawn_signature),
                },
            )
        audit_record(
            action="form.submitted",
            request=request,
            object_type="form_submission",
            object_id=submission.pk,
            detail={
                "share_id": share.pk,
                "form_id": share.form_id,
                "version_id": version.pk,
                "answered": len(answers),
                "signed": is_signed,
                "scored": result.score is not None,
            },
        )
        staff_notify(
            recipients=staff_to_notify_about(client),
            kind=(
                StaffNotificationKind.FORM_SIGNED
                if is_signed
                else StaffNotificationKind.FORM_COMPLETED
            ),
            client=client,
            link=_staff_link(client, submission),
        )
        onboarding_completion_check(actor=user, origin=request_origin(request), client=client)
    return submission


def signature_verify(*, request: HttpRequest, evidence: SignatureEvidence) -> bool:
    """Recompute the SHA-256 of the stored answers and compare it with the one recorded at
    signing. Audits `signature.verified` with the outcome. Returns whether they match."""
    submission = FormSubmission.objects.select_related("share").get(pk=evidence.submission_id)
    intact = answers_intact(
        expected_sha256=evidence.answers_sha256,
        form_id=submission.share.form_id,
        version_id=evidence.version_id,
        answers=submission.answers or {},
    )
    audit_record(
        action="signature.verified",
        request=request,
        object_type="signature_evidence",
        object_id=evidence.pk,
        detail={"submission_id": submission.pk, "intact": intact},
    )
    return intact
