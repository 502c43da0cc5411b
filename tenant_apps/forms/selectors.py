"""Reading forms and shares, always through the viewer.

Forms are practice-wide (any staff member of this practice sees the list); shares belong to a
client and are reached only through `access_client` (a clinician sees their own clients' shares).
`access_*` answers the same 404 for missing and not-yours.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from shared_apps.accounts.models import StaffRole, User
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import (
    Form,
    FormShare,
    FormSubmission,
    FormVersion,
    SubmissionState,
)

# Who builds and edits forms: clinical content, so not the front desk (admin). Admins may still
# see the list of forms and share them with clients (that is paperwork, not clinical content).
FORM_EDITORS = (StaffRole.OWNER, StaffRole.CLINICIAN)


def _versions_loaded() -> Prefetch[str, QuerySet[FormVersion], str]:
    """Every version of each form, by number, into `Form.version_list` (one query)."""
    return Prefetch(
        "versions", queryset=FormVersion.objects.order_by("number"), to_attr="version_list"
    )


def _is_staff(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.is_active and viewer.is_practice_staff)


def forms_visible_to(*, viewer: User) -> QuerySet[Form]:
    """Every form of the practice for its active staff, archived ones included; none otherwise."""
    if not _is_staff(viewer):
        return Form.objects.none()
    return Form.objects.all()


def form_list(*, viewer: User, include_archived: bool = False) -> QuerySet[Form]:
    """The forms `viewer` may see, by title, with their versions prefetched and the number of
    submissions annotated (`submission_count`): a fixed number of queries."""
    forms = forms_visible_to(viewer=viewer).annotate(
        submission_count=Count("versions__submissions", distinct=True)
    )
    if not include_archived:
        forms = forms.filter(is_archived=False)
    return forms.prefetch_related(_versions_loaded())


def access_form(*, viewer: User, form_id: int) -> Form:
    """The form `form_id` if `viewer` may see it; Http404 otherwise (missing or not theirs)."""
    form = (
        forms_visible_to(viewer=viewer)
        .prefetch_related(_versions_loaded())
        .filter(pk=form_id)
        .first()
    )
    if form is None:
        raise Http404("No form found.")
    return form


def version_has_submissions(version: FormVersion) -> bool:
    """Whether any client has started (draft) or submitted this version: it is then frozen."""
    return FormSubmission.objects.filter(version=version).exists()


def shareable_forms() -> QuerySet[Form]:
    """Forms that can be newly shared: not archived and with at least one version."""
    return (
        Form.objects.filter(is_archived=False)
        .filter(Exists(FormVersion.objects.filter(form=OuterRef("pk"))))
        .order_by("title", "id")
    )


def client_form_shares(client: Client) -> QuerySet[FormShare]:
    """Every share of `client` still worth showing, newest first: the active ones and the
    un-shared ones the client had started or submitted (un-sharing an unstarted form deletes its
    share). The form and any submission are joined (one query)."""
    return (
        FormShare.objects.filter(client=client)
        .select_related("form", "submission")
        .order_by("-shared_at", "-id")
    )


def client_active_form_ids(client: Client) -> set[int]:
    """The ids of the forms actively shared with `client`."""
    return set(
        FormShare.objects.filter(client=client, unshared_at__isnull=True).values_list(
            "form_id", flat=True
        )
    )


def access_form_share(*, viewer: User, client: Client, share_id: int) -> FormShare:
    """The share `share_id` of `client` (already loaded with `access_client`); Http404 if it is
    missing or another client's."""
    share = (
        FormShare.objects.select_related("form", "submission")
        .filter(pk=share_id, client=client)
        .first()
    )
    if share is None or not _is_staff(viewer):
        raise Http404("No form found.")
    return share


def forms_outstanding_for_onboarding(client: Client) -> int:
    """How many forms requested in the setup wizard `client` has not submitted yet (shares
    un-shared since no longer count). Onboarding is complete only when this is 0."""
    return (
        FormShare.objects.filter(client=client, requested_in_setup=True, unshared_at__isnull=True)
        .exclude(Q(submission__state=SubmissionState.SUBMITTED))
        .count()
    )


def forms_requested_in_setup(client: Client) -> int:
    """How many forms the setup wizard requested of `client` that are still shared."""
    return FormShare.objects.filter(
        client=client, requested_in_setup=True, unshared_at__isnull=True
    ).count()
