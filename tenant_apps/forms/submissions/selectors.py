"""Reading submissions and signature evidence: for the client who fills them and for the staff
who may read the answers.

Answers are clinical content: among staff only the owners and the client's assigned clinician
read them (admin staff never do). Staff see submitted answers only; a draft is the client's own
until they submit it. Every `access_*` answers the same 404 for "missing" and "not yours".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from shared_apps.accounts.models import StaffRole, User
from tenant_apps.access.pages import CLINICAL_ROLES
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import (
    FormShare,
    FormSubmission,
    SignatureEvidence,
    SubmissionState,
)

# Who reads form answers, scores and signatures (PRODUCT.md §2: admin sees no clinical content).
SUBMISSION_READERS = CLINICAL_ROLES


# --- The client's own -----------------------------------------------------------------------------
def _client_shares(client: Client) -> QuerySet[FormShare]:
    """The shares a client sees: active ones, and un-shared ones they had started or submitted."""
    return (
        FormShare.objects.filter(client=client)
        .filter(Q(unshared_at__isnull=True) | Q(submission__isnull=False))
        .select_related("form", "submission")
    )


@dataclass(frozen=True)
class PortalForms:
    to_complete: list[FormShare]
    completed: list[FormShare]


def portal_forms(client: Client) -> PortalForms:
    """The client's forms to complete (oldest request first) and completed ones (newest first);
    one query."""
    to_complete: list[FormShare] = []
    completed: list[FormShare] = []
    for share in _client_shares(client).order_by("shared_at", "id"):
        submission = getattr(share, "submission", None) if _has_submission(share) else None
        if submission is not None and submission.state == SubmissionState.SUBMITTED:
            completed.append(share)
        else:
            to_complete.append(share)
    completed.sort(key=lambda s: s.submission.submitted_at or s.shared_at, reverse=True)
    return PortalForms(to_complete=to_complete, completed=completed)


def _has_submission(share: FormShare) -> bool:
    try:
        return share.submission is not None
    except FormSubmission.DoesNotExist:
        return False


def share_submission(share: FormShare) -> FormSubmission | None:
    """The share's submission, None when the client has not started (no query when joined)."""
    return share.submission if _has_submission(share) else None


def access_share_of_client(*, client: Client, share_id: int) -> FormShare:
    """`client`'s own share `share_id` with its form, submission, version and signature loaded;
    Http404 when it is missing, another client's, or un-shared before the client started it."""
    share = (
        _client_shares(client)
        .select_related("submission__version", "submission__signature")
        .filter(pk=share_id)
        .first()
    )
    if share is None:
        raise Http404("No form found.")
    return share


# --- Staff ----------------------------------------------------------------------------------------
def can_read_answers(viewer: User) -> bool:
    return bool(
        viewer.is_authenticated
        and viewer.is_active
        and viewer.is_practice_staff
        and viewer.role in SUBMISSION_READERS
    )


def submissions_readable_by(*, viewer: User) -> QuerySet[FormSubmission]:
    """Submitted answer sets `viewer` may read: every one for an owner, those of their own
    clients for a clinician, none for anyone else (admins, clients, inactive staff)."""
    if not can_read_answers(viewer):
        return FormSubmission.objects.none()
    submitted = FormSubmission.objects.filter(state=SubmissionState.SUBMITTED)
    if viewer.role == StaffRole.OWNER:
        return submitted
    return submitted.filter(share__client__clinician=viewer)


def submission_list(*, viewer: User, client_id: int | None = None) -> QuerySet[FormSubmission]:
    """The submissions `viewer` may read, newest first, with form, client and version joined
    (one query whatever the number)."""
    submissions = submissions_readable_by(viewer=viewer).select_related(
        "share__form", "share__client", "version"
    )
    if client_id is not None:
        submissions = submissions.filter(share__client_id=client_id)
    return submissions.order_by("-submitted_at", "-id")


def access_submission(
    *, viewer: User, submission_id: int, client: Client | None = None
) -> FormSubmission:
    """The submitted answers `submission_id` if `viewer` may read them (and, when `client` is
    given, they are that client's); Http404 otherwise. Form, client, version, signature and
    signer are loaded."""
    submissions = submissions_readable_by(viewer=viewer).select_related(
        "share__form", "share__client", "version", "signature__signer", "signature__version"
    )
    if client is not None:
        submissions = submissions.filter(share__client=client)
    submission = submissions.filter(pk=submission_id).first()
    if submission is None:
        raise Http404("No submission found.")
    return submission


def submission_signature(submission: FormSubmission) -> SignatureEvidence | None:
    """The signature evidence of `submission`, None when it was not signed."""
    try:
        return submission.signature
    except SignatureEvidence.DoesNotExist:
        return None


def access_signature(
    *, viewer: User, submission_id: int, client: Client | None = None
) -> SignatureEvidence:
    """The evidence record of a signed submission `viewer` may read; Http404 otherwise."""
    evidence = submission_signature(
        access_submission(viewer=viewer, submission_id=submission_id, client=client)
    )
    if evidence is None:
        raise Http404("No signature found.")
    return evidence


def client_form_overview(client: Client) -> list[FormShare]:
    """Every share of `client` worth showing to staff (active, or un-shared after the client
    started it), newest first, with form, submission and signature joined (one query)."""
    return list(
        _client_shares(client)
        .select_related("submission__version", "submission__signature")
        .order_by("-shared_at", "-id")
    )
