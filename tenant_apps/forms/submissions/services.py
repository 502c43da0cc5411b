"""Writing submissions: the client's draft as they go, the submission (with its signature
evidence), and staff verifying a signature. Apps above forms (onboarding) learn of a submission
through `signals.form_submitted`.

Audit rows name ids, field keys and flags, never an answer. A submitted form can't be changed:
both writes refuse it with `SubmissionClosed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
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
from tenant_apps.forms.submissions.signals import form_submitted
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.selectors import staff_to_notify_about
from tenant_apps.staff_notifications.services import staff_notify


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
    *,
    actor: User,
    origin: RequestOrigin | None,
    share: FormShare,
    version_id: int | None,
    answers: dict[str, Any],
) -> FormSubmission:
    version = _version_for_start(share, version_id)
    submission = FormSubmission.objects.create(share=share, version=version, answers=answers)
    audit_record(
        action=AuditAction.FORM_STARTED,
        actor=actor,
        origin=origin,
        object_type="form_submission",
        object_id=submission.pk,
        detail={"share_id": share.pk, "form_id": share.form_id, "version_id": version.pk},
    )
    return submission


def submission_draft_save(
    *,
    actor: User,
    share: FormShare,
    draft: dict[str, Any],
    version_id: int | None = None,
    origin: RequestOrigin | None = None,
) -> FormSubmission:
    """Keep the answers the client (`actor`) typed so far (unvalidated), in its own transaction.
    The first save fixes the version and audits `form.started`; later saves only replace the
    draft answers (no audit row per keystroke). Raises SubmissionClosed once the form is
    submitted."""
    with transaction.atomic(durable=True):
        share, submission = _locked(share)
        if submission is None:
            return _start(
                actor=actor, origin=origin, share=share, version_id=version_id, answers=draft
            )
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
    actor: User,
    client: Client,
    share: FormShare,
    draft: dict[str, Any],
    signature: SignatureInput | None,
    signature_errors: Mapping[str, str] | None = None,
    version_id: int | None = None,
    origin: RequestOrigin | None = None,
) -> FormSubmission:
    """Validate and submit the answers of the client signed in as `actor`. The draft is saved
    first (its own transaction) whatever happens, so nothing typed is lost when validation fails.

    On success, in one transaction: answers stored typed, state `submitted`, score, severity band
    and flags from the version's scoring; a signature evidence record when signed (signer, time,
    the client's IP and user agent from `origin`, version, SHA-256 of the canonical answers, see
    evidence.py); audit `form.submitted` (and `form.signed`); an in-app notification
    (`form_signed` or `form_completed`) to the owners and the assigned clinician linking to the
    staff page; then `signals.form_submitted` (onboarding checks whether it is now complete).
    `signature_errors` (from `signature_from_post`) are reported together with the answers' own.
    Raises SubmissionInvalid (errors by field key or signature input) and SubmissionClosed
    (already submitted)."""
    submission = submission_draft_save(
        actor=actor, origin=origin, share=share, draft=draft, version_id=version_id
    )
    with transaction.atomic(durable=True):
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
                signer=actor,
                typed_name=signature.typed_name,
                drawn_signature=signature.drawn_signature,
                signed_at=now,
                ip_address=origin.ip if origin is not None else None,
                user_agent=origin.user_agent if origin is not None else "",
                version=version,
                answers_sha256=answers_sha256(
                    form_id=share.form_id, version_id=version.pk, answers=answers
                ),
            )
            audit_record(
                action=AuditAction.FORM_SIGNED,
                actor=actor,
                origin=origin,
                object_type="signature_evidence",
                object_id=evidence.pk,
                detail={
                    "submission_id": submission.pk,
                    "version_id": version.pk,
                    "drawn": bool(signature.drawn_signature),
                },
            )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=actor,
            origin=origin,
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
        form_submitted.send(
            sender=FormSubmission, client=client, submission=submission, actor=actor, origin=origin
        )
    return submission


def signature_verify(
    *, actor: User, evidence: SignatureEvidence, origin: RequestOrigin | None = None
) -> bool:
    """Recompute the SHA-256 of the stored answers and compare it with the one recorded at
    signing. Audits `signature.verified` (by `actor`) with the outcome. Returns whether they
    match."""
    submission = FormSubmission.objects.select_related("share").get(pk=evidence.submission_id)
    intact = answers_intact(
        expected_sha256=evidence.answers_sha256,
        form_id=submission.share.form_id,
        version_id=evidence.version_id,
        answers=submission.answers or {},
    )
    audit_record(
        action=AuditAction.SIGNATURE_VERIFIED,
        actor=actor,
        origin=origin,
        object_type="signature_evidence",
        object_id=evidence.pk,
        detail={"submission_id": submission.pk, "intact": intact},
    )
    return intact
