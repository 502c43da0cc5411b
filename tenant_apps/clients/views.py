"""Staff pages for clients (`/staff/clients/`): list, add, details, edit, archive, CSV import.

Every page is behind `staff_required`; each client is loaded with `access_client` (404 for missing
and not-yours alike); every read or change of client data is audited (ids and counts only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.models import StaffRole
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import request_origin
from tenant_apps.access.pages import CLINICAL_ROLES, staff_required, staff_user
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.errors import ImportFileError
from tenant_apps.clients.forms import (
    ClientFilterForm,
    ClientForm,
    ImportMappingForm,
    ImportUploadForm,
)
from tenant_apps.clients.importing import (
    MAX_ROWS,
    CsvTable,
    csv_decode,
    csv_parse,
    mapping_guess,
    rows_check,
)
from tenant_apps.clients.selectors import access_client, client_list
from tenant_apps.clients.services import (
    client_archive,
    client_create,
    client_import,
    client_unarchive,
    client_update,
)

PAGE_SIZE = 25
PREVIEW_ROWS = 5
# The uploaded CSV waits in the session (this practice's own session table) between the upload
# and the confirmation, never in a URL; the imported ids wait there for the bulk invite.
SESSION_IMPORT_CSV = "clients_import_csv"
SESSION_IMPORTED_IDS = "clients_imported_ids"

_MANAGERS = (StaffRole.OWNER, StaffRole.ADMIN)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
) -> HttpResponse:
    return render(
        request, f"clients/{template}", {"practice": current_practice(), **context}, **kwargs
    )


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the matching form fields (others at the top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@staff_required()
@require_GET
def client_list_page(request: HttpRequest) -> HttpResponse:
    viewer = staff_user(request)
    form = ClientFilterForm(request.GET)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "search": form.cleaned_data["q"],
            "portal_status": form.cleaned_data["portal_status"] or None,
            "include_archived": form.cleaned_data["archived"],
        }
    page = Paginator(client_list(viewer=viewer, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    audit_record(
        action=AuditAction.CLIENT_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        detail={"page": page.number, "shown": len(shown)},
    )
    return _render(
        request,
        "client_list.html",
        {
            "form": form,
            "page": page,
            "clients": shown,
            "is_filtered": any(filters.values()),
            "can_import": viewer.role in _MANAGERS,
        },
    )


@staff_required()
@require_http_methods(["GET", "POST"])
def client_create_page(request: HttpRequest) -> HttpResponse:
    viewer = staff_user(request)
    is_clinician = viewer.role == StaffRole.CLINICIAN
    form = ClientForm(request.POST or None, with_clinician=not is_clinician)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_create(
                actor=viewer,
                origin=request_origin(request),
                data=form.client_data(clinician=viewer if is_clinician else None),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Client added.")
            return redirect("clients:detail", client_id=client.pk)
    return _render(request, "client_form.html", {"form": form, "client": None})


@staff_required()
@require_GET
def client_detail_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    audit_record(
        action=AuditAction.CLIENT_VIEWED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        object_id=client.pk,
    )
    return _render(
        request,
        "client_detail.html",
        {"client": client, "shows_forms": viewer.role in CLINICAL_ROLES},
    )


@staff_required()
@require_http_methods(["GET", "POST"])
def client_edit_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    is_clinician = viewer.role == StaffRole.CLINICIAN
    form = ClientForm(
        request.POST or None,
        with_clinician=not is_clinician,
        current_clinician=client.clinician,
        initial={
            "first_name": client.first_name,
            "last_name": client.last_name,
            "preferred_name": client.preferred_name,
            "pronouns": client.pronouns,
            "email": client.email,
            "phone": client.phone,
            "date_of_birth": client.date_of_birth,
            "clinician": client.clinician,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            client_update(
                actor=viewer,
                client=client,
                origin=request_origin(request),
                data=form.client_data(clinician=client.clinician),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("clients:detail", client_id=client.pk)
    else:
        audit_record(
            action=AuditAction.CLIENT_VIEWED,
            actor=viewer,
            origin=request_origin(request),
            object_type="client",
            object_id=client.pk,
        )
    return _render(request, "client_form.html", {"form": form, "client": client})


@staff_required()
@require_POST
def client_archive_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    client_archive(actor=viewer, origin=request_origin(request), client=client)
    messages.success(request, "Client archived. You can bring them back from the client's page.")
    return redirect("clients:detail", client_id=client.pk)


@staff_required()
@require_POST
def client_unarchive_page(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = staff_user(request)
    client = access_client(viewer=viewer, client_id=client_id)
    try:
        client_unarchive(actor=viewer, origin=request_origin(request), client=client)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Client restored.")
    return redirect("clients:detail", client_id=client.pk)


# --- CSV import ------------------------------------------------------------------------------


@staff_required(*_MANAGERS)
@require_http_methods(["GET", "POST"])
def client_import_upload_page(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = csv_decode(form.cleaned_data["file"].read())
            csv_parse(text)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            request.session[SESSION_IMPORT_CSV] = text
            return redirect("clients:import-mapping")
    return _render(request, "import_upload.html", {"form": form, "max_rows": MAX_ROWS})


def _uploaded_table(request: HttpRequest) -> CsvTable | None:
    text = request.session.get(SESSION_IMPORT_CSV)
    if not isinstance(text, str):
        return None
    try:
        return csv_parse(text)
    except ImportFileError:
        return None


@staff_required(*_MANAGERS)
@require_http_methods(["GET", "POST"])
def client_import_mapping_page(request: HttpRequest) -> HttpResponse:
    """Map columns, check every row, then import on an explicit confirmation (`action=import`).
    The rows are checked again on confirmation: nothing is imported while any row has a
    problem."""
    table = _uploaded_table(request)
    if table is None:
        messages.error(request, "Upload the CSV file first.")
        return redirect("clients:import")
    action = request.POST.get("action")
    if action == "cancel":
        request.session.pop(SESSION_IMPORT_CSV, None)
        messages.success(request, "Import cancelled: no client was added.")
        return redirect("clients:list")

    viewer = staff_user(request)
    if request.method == "POST":
        form = ImportMappingForm(request.POST, headers=table.headers)
    else:
        guess = mapping_guess(table.headers)
        form = ImportMappingForm(
            headers=table.headers,
            initial={name: "" if index is None else str(index) for name, index in guess.items()},
        )
    check = None
    if request.method == "POST" and form.is_valid():
        check = rows_check(table, form.mapping())
        if action == "import" and check.is_importable:
            try:
                clients = client_import(
                    actor=viewer, origin=request_origin(request), rows=check.ready
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session.pop(SESSION_IMPORT_CSV, None)
                request.session[SESSION_IMPORTED_IDS] = [client.pk for client in clients]
                messages.success(
                    request, f"{len(clients)} client{'s' if len(clients) != 1 else ''} imported."
                )
                return redirect("clients:import-done")
    return _render(
        request,
        "import_mapping.html",
        {
            "form": form,
            "headers": table.headers,
            "preview": table.rows[:PREVIEW_ROWS],
            "row_count": len(table.rows),
            "check": check,
        },
    )


@staff_required(*_MANAGERS)
@require_GET
def client_import_done_page(request: HttpRequest) -> HttpResponse:
    ids = request.session.get(SESSION_IMPORTED_IDS) or []
    viewer = staff_user(request)
    clients = list(client_list(viewer=viewer).filter(pk__in=[int(pk) for pk in ids]))
    audit_record(
        action=AuditAction.CLIENT_LISTED,
        actor=viewer,
        origin=request_origin(request),
        object_type="client",
        detail={"imported": True, "shown": len(clients)},
    )
    return _render(request, "import_done.html", {"clients": clients})
