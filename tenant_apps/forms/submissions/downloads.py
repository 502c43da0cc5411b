"""HTTP answers for generated PDFs: always an attachment, never stored by a cache, and named by
ids only (a filename must not carry a client's name or a form's title)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.forms.models import FormSubmission
from tenant_apps.forms.pdf import PdfContext, submission_pdf


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """`filename` is made of ids by the caller (e.g. `form-12.pdf`)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def pdf_context() -> PdfContext:
    """The current practice framing a PDF: its name, and its time zone for dates."""
    practice = current_practice()
    return PdfContext(practice_name=practice.name, time_zone=practice.time_zone)


def submission_pdf_response(
    *, actor: User, origin: RequestOrigin | None, submission: FormSubmission, by: str
) -> HttpResponse:
    """`submission` (already access-checked by the caller) as a PDF attachment; audited
    `form.downloaded` with `by` (who asked: staff, client or api)."""
    content = submission_pdf(submission=submission, context=pdf_context())
    audit_record(
        action=AuditAction.FORM_DOWNLOADED,
        actor=actor,
        origin=origin,
        object_type="form_submission",
        object_id=submission.pk,
        detail={"format": "pdf", "by": by},
    )
    return pdf_response(content, filename=f"form-{submission.pk}.pdf")
