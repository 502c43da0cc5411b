"""Staff pages for forms: the builder (`/staff/forms/`) and a client's documentation
(`/staff/clients/<id>/portal/documentation/`).

Roles: every staff member sees the list of forms and may share forms with the clients they can
see (admins send paperwork); only owners and clinicians create, edit or archive a form (its
questions are clinical content). Clients are loaded with `access_client` (404 for missing and
not-yours alike), forms with `access_form`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.selectors import access_client
from tenant_apps.forms.builder import (
    BuilderRow,
    fields_from_rows,
    rows_apply,
    rows_from_fields,
    rows_from_post,
)
from tenant_apps.forms.models import Form, FormShare, SubmissionState
from tenant_apps.forms.schema import FieldType
from tenant_apps.forms.selectors import (
    FORM_EDITORS,
    access_form,
    client_active_form_ids,
    client_form_shares,
    form_list,
    shareable_forms,
)
from tenant_apps.forms.services import (
    MAX_MESSAGE,
    client_form_shares_set,
    form_archive,
    form_create,
    form_unarchive,
    form_update,
)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
) -> HttpResponse:
    return render(
        request, f"forms/{template}", {"practice": current_practice(), **context}, **kwargs
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@staff_required()
@require_GET
def form_list_page(request: HttpRequest) -> HttpResponse:
    viewer = staff_user(request)
    include_archived = request.GET.get("archived") == "1"
    forms = list(form_list(viewer=viewer, include_archived=include_archived))
    return _render(
        request,
        "form_list.html",
        {
            "forms": forms,
            "include_archived": include_archived,
            "can_edit": viewer.role in FORM_EDITORS,
        },
    )


def _builder(
    request: HttpRequest,
    *,
    form: Form | None,
    title: str,
    description: str,
    rows: list[BuilderRow],
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return _render(
        request,
        "form_builder.html",
        {
            "form_obj": form,
            "title": title,
            "description": description,
            "rows": rows,
            "errors": errors or {},
            "field_types": FieldType.choices,
            "latest": form.latest_version if form else None,
        },
    )


def _builder_post(request: HttpRequest, form: Form | None) -> HttpResponse:
    """Handle a builder POST: an edit button re-renders; `save` saves or shows the problems."""
    viewer = staff_user(request)
    title = request.POST.get("title", "")
    description = request.POST.get("description", "")
    rows = rows_from_post(request.POST)
    op = request.POST.get("op", "save")
    if op != "save":
        rows = rows_apply(rows, op, add_type=request.POST.get("add_type", ""))
        return _builder(request, form=form, title=title, description=description, rows=rows)
    latest = form.latest_version if form else None
    fields = fields_from_rows(rows, latest.fields if latest else [])
    try:
        if form is None:
            form = form_create(
                actor=viewer,
                title=title,
                description=description,
                fields=fields,
                origin=request_origin(request),
            )
            messages.success(request, "Form created.")
        else:
            saved = form_update(
                actor=viewer,
                form=form,
                title=title,
                description=description,
                fields=fields,
                origin=request_origin(request),
            )
            if not saved.changed:
                messages.info(request, "Nothing changed.")
            elif saved.new_version:
                messages.success(
                    request,
                    f"Saved as version {saved.version.number}. Answers already given keep the "
                    "version the client saw.",
                )
            else:
                messages.success(request, "Form saved.")
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"other": error.messages}
        # Keys given to new questions are kept, so the re-rendered page is stable.
        return _builder(
            request,
            form=form,
            title=title,
            description=description,
            rows=rows_from_fields(fields),
            errors=errors,
        )
    target = reverse("forms:list")
    if _is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


@staff_required(*FORM_EDITORS)
@require_http_methods(["GET", "POST"])
def form_create_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _builder_post(request, None)
    rows = [BuilderRow(type=FieldType.SHORT_TEXT)]
    return _builder(request, form=None, title="", description="", rows=rows)


@staff_required(*FORM_EDITORS)
@require_http_methods(["GET", "POST"])
def form_edit_page(request: HttpRequest, form_id: int) -> HttpResponse:
    form = access_form(viewer=staff_user(request), form_id=form_id)
    if form.is_archived:
        messages.error(request, "An archived form cannot be edited. Restore it first.")
        return redirect("forms:list")
    if request.method == "POST":
        return _builder_post(request, form)
    latest = form.latest_version
    rows = rows_from_fields(latest.fields if latest else [])
    return _builder(request, form=form, title=form.title, description=form.description, rows=rows)


@staff_required(*FORM_EDITORS)
@require_POST
def form_archive_page(request: HttpRequest, form_id: int) -> HttpResponse:
    viewer = staff_user(request)
    form = access_form(viewer=viewer, form_id=form_id)
    form_archive(actor=viewer, form=form, origin=request_origin(request))
    messages.success(request, "Form archived. It can no longer be shared; answers are kept.")
    return redirect("forms:list")


@staff_required(*FORM_EDITORS)
@require_POST
def form_unarchive_page(request: HttpRequest, form_id: int) -> HttpResponse:
    viewer = staff_user(request)
    form = access_form(viewer=viewer, form_id=form_id)
    form_unarchive(actor=viewer, form=form, origin=request_origin(request))
    messages.success(request, "Form restored.")
    return redirect(f"{reverse('forms:list')}?archived=1")


# --- A client's documentation ------------------------------------------------------------------


def share_status(share: FormShare) -> str:
    """What staff read about one share: never the answers, only where it stands."""
    submission = getattr(share, "submission", None)
    if submission is None:
        state = "Not started"
    elif submission.state == SubmissionState.SUBMITTED:
        state = "Completed"
    else:
        state = "In progress"
    return f"Un-shared ({state.lower()})" if share.unshared_at else state


@staff_required()
@require_http_methods(["GET", "POST"])
def documentation_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """Tick forms to share with the client, untick to un-share, with an optional message shown
    only in the portal; one email per save (see `client_form_shares_set`)."""
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    active = client_active_form_ids(client)
    errors: list[str] = []
    message = ""
    if request.method == "POST":
        message = request.POST.get("message", "")
        ticked = {int(v) for v in request.POST.getlist("form") if v.isdigit()}
        try:
            result = client_form_shares_set(
                actor=viewer,
                client=client,
                form_ids=ticked,
                message=message,
                origin=request_origin(request),
            )
        except ValidationError as error:
            errors = error.messages
            active = ticked
        else:
            parts = []
            if result.shared:
                parts.append(f"{len(result.shared)} shared")
            if result.unshared_kept or result.removed:
                parts.append(f"{len(result.unshared_kept) + len(result.removed)} un-shared")
            summary = ", ".join(parts) if parts else "Nothing changed"
            if result.emailed:
                summary += ". The client was emailed that new forms are waiting"
            messages.success(request, f"{summary}.")
            return redirect("forms-documentation:documentation", client_id=client.pk)
    else:
        audit_record(
            action=AuditAction.CLIENT_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
        )
    shares = list(client_form_shares(client))
    by_form: dict[int, FormShare] = {}
    for share in shares:  # newest first: the active share wins over older, un-shared ones
        by_form.setdefault(share.form_id, share)
    choices = list(shareable_forms())
    # A form shared before it was archived still shows, so that it can be un-ticked.
    listed = {f.pk for f in choices}
    choices += [s.form for s in shares if s.unshared_at is None and s.form_id not in listed]
    rows = [
        {
            "form": f,
            "ticked": f.pk in active,
            "status": share_status(by_form[f.pk]) if f.pk in by_form else "",
        }
        for f in choices
    ]
    history = [
        {"form": s.form, "status": share_status(s)} for s in shares if s.unshared_at is not None
    ]
    return _render(
        request,
        "documentation.html",
        {
            "client": client,
            "rows": rows,
            "history": history,
            "message": message,
            "errors": errors,
            "max_message": MAX_MESSAGE,
        },
    )
