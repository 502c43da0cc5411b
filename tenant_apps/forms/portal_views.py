"""Client pages: portal > Documents & forms (`/documents/`), filling a form with drafts saved as
the client goes, signing and submitting it, and downloading the completed form as a PDF.

Every page is behind `client_required` (a signed-in client of this practice with a client
record); each share is loaded with `access_share_of_client`, which answers 404 for another
client's share exactly as for a missing one. Pages with answers are never cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.web.origin import request_origin
from tenant_apps.clients.models import Client
from tenant_apps.forms.filling import answer_rows, draft_from_post, field_views, has_signature
from tenant_apps.forms.models import FormShare, FormSubmission, SubmissionState
from tenant_apps.forms.signing import (
    CONFIRM_INPUT,
    DRAWN_INPUT,
    TYPED_NAME_INPUT,
    signature_from_post,
)
from tenant_apps.forms.submissions.downloads import submission_pdf_response
from tenant_apps.forms.submissions.selectors import (
    access_share_of_client,
    portal_forms,
    share_submission,
    submission_signature,
)
from tenant_apps.forms.submissions.services import (
    SubmissionClosed,
    SubmissionInvalid,
    submission_draft_save,
    submission_submit,
)
from tenant_apps.invitations.client_access import client_required, client_user, portal_context

_VERSION_INPUT = "version"


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get(_VERSION_INPUT, "")
    return int(raw) if raw.isdigit() else None


@client_required
@never_cache
@require_GET
def documents_page(request: HttpRequest, client: Client) -> HttpResponse:
    forms = portal_forms(client)
    context = portal_context(
        request, client, to_complete=forms.to_complete, completed=forms.completed
    )
    # The sub-navigation (portal/_documents_nav.html) shows My uploads when they are enabled.
    access = context["portal_access"]
    context["uploads_enabled"] = bool(access is not None and access.client_uploads)
    return render(request, "forms/portal/documents.html", context)


def _fill_context(
    request: HttpRequest,
    client: Client,
    share: FormShare,
    *,
    draft: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    signature_values: dict[str, str] | None = None,
) -> dict[str, Any]:
    submission = share_submission(share)
    version = submission.version if submission is not None else share.form.latest_version
    fields = version.field_list if version is not None else []
    answers = draft if draft is not None else (submission.answers if submission else {})
    errors = errors or {}
    views = field_views(fields, answers or {}, errors)
    signature_errors = [
        (name, message)
        for name, message in errors.items()
        if name in (TYPED_NAME_INPUT, DRAWN_INPUT, CONFIRM_INPUT)
    ]
    error_links = [
        (f"#{view.input_id}", view.label, view.error) for view in views if view.error
    ] + [(f"#{name}", "Signature", message) for name, message in signature_errors]
    return portal_context(
        request,
        client,
        share=share,
        submission=submission,
        version=version,
        fields=views,
        errors=errors,
        signature_errors=signature_errors,
        error_links=error_links,
        needs_signature=has_signature(fields),
        signature_values=signature_values or {},
        typed_name_input=TYPED_NAME_INPUT,
        drawn_input=DRAWN_INPUT,
        confirm_input=CONFIRM_INPUT,
    )


def _submitted_page(request: HttpRequest, client: Client, share: FormShare) -> HttpResponse:
    submission = share_submission(share)
    assert submission is not None  # noqa: S101 - only called for a submitted share
    return render(
        request,
        "forms/portal/submitted.html",
        portal_context(
            request,
            client,
            share=share,
            submission=submission,
            rows=answer_rows(submission.version.field_list, submission.answers or {}),
            signature=submission_signature(submission),
        ),
    )


def _is_submitted(share: FormShare) -> bool:
    submission = share_submission(share)
    return submission is not None and submission.state == SubmissionState.SUBMITTED


@client_required
@never_cache
@require_http_methods(["GET", "POST"])
def fill_page(request: HttpRequest, client: Client, share_id: int) -> HttpResponse:
    """GET: the form with the saved draft (or, once submitted, the answers read-only).
    POST: submit; errors re-render the page with the answers kept and a summary on top."""
    share = access_share_of_client(client=client, share_id=share_id)
    if _is_submitted(share):
        if request.method == "POST":
            messages.info(request, "This form was already submitted; it can't be changed.")
            return redirect("portal-forms:fill", share_id=share.pk)
        return _submitted_page(request, client, share)
    if request.method == "GET":
        return render(request, "forms/portal/fill.html", _fill_context(request, client, share))
    submission = share_submission(share)
    version = submission.version if submission is not None else share.form.latest_version
    fields = version.field_list if version is not None else []
    draft = draft_from_post(fields, request.POST)
    signature, signature_errors = signature_from_post(request.POST)
    signature_values = {
        "typed_name": request.POST.get(TYPED_NAME_INPUT, ""),
        "drawn": request.POST.get(DRAWN_INPUT, "") if DRAWN_INPUT not in signature_errors else "",
        "confirmed": "1" if request.POST.get(CONFIRM_INPUT) else "",
    }
    try:
        submission_submit(
            actor=client_user(request),
            origin=request_origin(request),
            client=client,
            share=share,
            draft=draft,
            signature=signature,
            signature_errors=signature_errors,
            version_id=_posted_version(request),
        )
    except SubmissionClosed:
        messages.info(request, "This form was already submitted; it can't be changed.")
        return redirect("portal-forms:fill", share_id=share.pk)
    except SubmissionInvalid as invalid:
        share = access_share_of_client(client=client, share_id=share.pk)
        errors = invalid.errors
        return render(
            request,
            "forms/portal/fill.html",
            _fill_context(
                request,
                client,
                share,
                draft=draft,
                errors=errors,
                signature_values=signature_values,
            ),
        )
    messages.success(request, f"Thank you: “{share.form.title}” is submitted.")
    return redirect("portal-forms:documents")


@client_required
@never_cache
@require_POST
def draft_save(request: HttpRequest, client: Client, share_id: int) -> HttpResponse:
    """Save the draft (htmx posts the whole form on change). Answers a small status fragment
    to htmx, a redirect back to the form otherwise (the "Save draft" button without script)."""
    share = access_share_of_client(client=client, share_id=share_id)
    is_htmx = request.headers.get("HX-Request") == "true"
    submission: FormSubmission | None = share_submission(share)
    version = submission.version if submission is not None else share.form.latest_version
    fields = version.field_list if version is not None else []
    try:
        submission = submission_draft_save(
            actor=client_user(request),
            origin=request_origin(request),
            share=share,
            draft=draft_from_post(fields, request.POST),
            version_id=_posted_version(request),
        )
    except SubmissionClosed:
        if is_htmx:
            return render(
                request,
                "forms/portal/_draft_status.html",
                {"closed": True},
                status=409,
            )
        messages.info(request, "This form was already submitted; it can't be changed.")
        return redirect("portal-forms:fill", share_id=share.pk)
    if is_htmx:
        return render(request, "forms/portal/_draft_status.html", {"submission": submission})
    messages.success(request, "Draft saved. You can come back to it at any time.")
    return redirect("portal-forms:fill", share_id=share.pk)


@client_required
@require_GET
def pdf_download(request: HttpRequest, client: Client, share_id: int) -> HttpResponse:
    """The client's own completed form as a PDF (an attachment, never cached); audited as
    `form.downloaded`."""
    share = access_share_of_client(client=client, share_id=share_id)
    submission = share_submission(share)
    if submission is None or submission.state != SubmissionState.SUBMITTED:
        return redirect("portal-forms:fill", share_id=share.pk)
    return submission_pdf_response(
        actor=client_user(request),
        origin=request_origin(request),
        submission=submission,
        by="client",
    )
