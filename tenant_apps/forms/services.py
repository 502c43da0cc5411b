"""Building forms and sharing them with clients.

Each change runs in one transaction with its audit row (and, for a share, its outbox email). Audit
details carry ids, version numbers and counts, never a title, question or message.

Versioning (the contract submissions rely on): a `FormVersion` that any submission points at is
never changed again. Saving a form whose fields changed updates the latest version in place while
no client has started it, and otherwise creates version number + 1; a save that changes only the
title or description creates no version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from shared_apps.accounts.models import User
from shared_apps.tenancy.middleware import request_practice
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.forms.models import (
    CHOICE_TYPES,
    RANGE_TYPES,
    FieldType,
    Form,
    FormKind,
    FormShare,
    FormSubmission,
    FormVersion,
)
from tenant_apps.forms.selectors import version_has_submissions
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.links import portal_link
from tenant_apps.notifications.services import email_enqueue

MAX_FIELDS = 200
MAX_OPTIONS = 100
MAX_TITLE = 200
MAX_LABEL = 500
MAX_HELP = 4000
MAX_OPTION_LABEL = 200
MAX_MESSAGE = 2000
SCALE_MAX_STEPS = 100
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_NEW_FORMS_EMAIL_TEMPLATE = "forms/email/forms_shared.txt"


# --- Fields ----------------------------------------------------------------------------------


def field_key_from_label(label: str, taken: set[str]) -> str:
    """A stable slug key for a new field, unique among `taken` (which it joins)."""
    base = slugify(label).replace("-", "_")[:40].strip("_") or "field"
    if not base[0].isalpha():
        base = f"f_{base}"
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    taken.add(key)
    return key


def _int_or_none(value: Any, *, where: str, errors: list[str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.append(f"{where}: minimum and maximum must be whole numbers.")
        return None


def form_fields_clean(
    fields: Sequence[dict[str, Any]], *, scoring: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Validate and normalise a version's field list (see `FormVersion`). Returns the clean list;
    raises ValidationError with one clear sentence per problem, naming the question by position
    (“Question 3”): duplicate keys, unknown types, missing labels, choice fields without options
    or with duplicate options, ranges whose minimum is not below their maximum, more than one
    signature, and scored questions that were removed or are no longer choices."""
    errors: list[str] = []
    if not fields:
        errors.append("Add at least one question.")
    if len(fields) > MAX_FIELDS:
        errors.append(f"A form can have at most {MAX_FIELDS} questions.")
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, raw in enumerate(fields, 1):
        item = _field_clean(raw, where=f"Question {position}", seen=seen, errors=errors)
        if item is not None:
            clean.append(item)
    signatures = sum(1 for item in clean if item["type"] == FieldType.SIGNATURE)
    if signatures > 1:
        errors.append("A form can have only one signature.")
    if scoring:
        by_key = {item["key"]: item for item in clean}
        for key in scoring.get("keys", []):
            scored = by_key.get(key)
            if scored is None or scored["type"] != FieldType.SINGLE_CHOICE:
                errors.append(
                    f"This form is scored: the scored question “{key}” must stay, as a single"
                    " choice."
                )
    if errors:
        raise ValidationError(errors)
    return clean


def _field_clean(
    raw: dict[str, Any], *, where: str, seen: set[str], errors: list[str]
) -> dict[str, Any] | None:
    """One field of `form_fields_clean`: problems are appended to `errors`; None for a field
    whose type is unknown (nothing else can be checked)."""
    type_ = str(raw.get("type") or "")
    key = str(raw.get("key") or "").strip()
    label = str(raw.get("label") or "").strip()
    help_text = str(raw.get("help") or "").strip()
    if type_ not in FieldType.values:
        errors.append(f"{where}: choose a question type.")
        return None
    if not _KEY_RE.match(key):
        errors.append(
            f"{where}: the key must start with a letter and use only lower-case letters,"
            " digits and underscores."
        )
    elif key in seen:
        errors.append(f"{where}: the key “{key}” is used by another question.")
    seen.add(key)
    if not label:
        errors.append(f"{where}: the question needs a label.")
    elif len(label) > MAX_LABEL:
        errors.append(f"{where}: the label can be at most {MAX_LABEL} characters.")
    if len(help_text) > MAX_HELP:
        errors.append(f"{where}: the help text can be at most {MAX_HELP} characters.")
    item: dict[str, Any] = {
        "key": key,
        "type": type_,
        "label": label,
        "help": help_text,
        "required": bool(raw.get("required")) and type_ != FieldType.HEADING,
        "options": [],
        "min": None,
        "max": None,
    }
    if type_ in CHOICE_TYPES:
        item["options"] = _options_clean(raw.get("options") or [], where=where, errors=errors)
    if type_ in RANGE_TYPES:
        item["min"], item["max"] = _range_clean(raw, type_=type_, where=where, errors=errors)
    return item


def _range_clean(
    raw: dict[str, Any], *, type_: str, where: str, errors: list[str]
) -> tuple[int | None, int | None]:
    minimum = _int_or_none(raw.get("min"), where=where, errors=errors)
    maximum = _int_or_none(raw.get("max"), where=where, errors=errors)
    if type_ == FieldType.SCALE and (minimum is None or maximum is None):
        errors.append(f"{where}: a scale needs a minimum and a maximum.")
    elif minimum is not None and maximum is not None:
        if minimum >= maximum:
            errors.append(f"{where}: the minimum must be less than the maximum.")
        elif type_ == FieldType.SCALE and maximum - minimum > SCALE_MAX_STEPS:
            errors.append(f"{where}: a scale can have at most {SCALE_MAX_STEPS} steps.")
    return minimum, maximum


def _options_clean(
    options: Iterable[Any], *, where: str, errors: list[str]
) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    values: set[str] = set()
    labels: set[str] = set()
    for option in options:
        label = str(option.get("label") or "").strip()
        value = str(option.get("value") or "").strip()
        if not label:
            continue
        if len(label) > MAX_OPTION_LABEL:
            errors.append(f"{where}: an option can be at most {MAX_OPTION_LABEL} characters.")
        if label.casefold() in labels:
            errors.append(f"{where}: the option “{label}” is listed twice.")
        labels.add(label.casefold())
        if not value or value in values:
            errors.append(f"{where}: every option needs its own value.")
        values.add(value)
        score = option.get("score")
        clean.append(
            {"value": value, "label": label, "score": int(score) if score is not None else None}
        )
    if not clean:
        errors.append(f"{where}: a choice question needs at least one option (one per line).")
    if len(clean) > MAX_OPTIONS:
        errors.append(f"{where}: a question can have at most {MAX_OPTIONS} options.")
    return clean


def options_from_lines(text: str, previous: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Options typed one per line. An option whose label matches one of `previous` keeps its
    value and score (so editing a scored form's wording elsewhere never re-scores it, and stored
    answers keep pointing at the same option); a new one gets a fresh value `oN`."""
    by_label = {str(o.get("label", "")).strip().casefold(): o for o in previous}
    used = {str(o.get("value")) for o in previous}
    options: list[dict[str, Any]] = []
    n = 1
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        kept = by_label.get(label.casefold())
        if kept is not None:
            options.append(
                {"value": str(kept["value"]), "label": label, "score": kept.get("score")}
            )
            continue
        while f"o{n}" in used:
            n += 1
        used.add(f"o{n}")
        options.append({"value": f"o{n}", "label": label, "score": None})
    return options


# --- Forms -------------------------------------------------------------------------------------


def _title_clean(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": ["The form needs a title."]})
    if len(title) > MAX_TITLE:
        raise ValidationError({"title": [f"The title can be at most {MAX_TITLE} characters."]})
    return title


def form_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    fields: Sequence[dict[str, Any]],
    kind: FormKind = FormKind.CUSTOM,
    request: HttpRequest | None = None,
) -> Form:
    """Create a form with its version 1. Raises ValidationError (title, or the fields' list of
    problems under `fields`). Audits `form.created`."""
    title = _title_clean(title)
    try:
        clean = form_fields_clean(fields)
    except ValidationError as error:
        raise ValidationError({"fields": error.messages}) from error
    with transaction.atomic():
        form = Form.objects.create(
            title=title, description=description.strip(), kind=kind, created_by=actor
        )
        FormVersion.objects.create(form=form, number=1, fields=clean, created_by=actor)
        audit_record(
            action="form.created",
            request=request,
            actor=actor,
            object_type="form",
            object_id=form.pk,
            detail={"version": 1},
        )
    return form


@dataclass(frozen=True)
class FormSaved:
    form: Form
    version: FormVersion
    new_version: bool
    changed: bool


def form_update(
    *,
    actor: User,
    form: Form,
    title: str,
    description: str,
    fields: Sequence[dict[str, Any]],
    request: HttpRequest | None = None,
) -> FormSaved:
    """Save the builder's edit of `form` (see the module docstring for versioning). Raises
    ValidationError like `form_create`, and for an archived form. Audits `form.edited` with the
    resulting version number and whether it is new; writes nothing when nothing changed."""
    title = _title_clean(title)
    with transaction.atomic():
        form = Form.objects.select_for_update().get(pk=form.pk)
        if form.is_archived:
            raise ValidationError("An archived form cannot be edited. Restore it first.")
        # FOR UPDATE on the version row: a client's first draft inserts a submission pointing at
        # it, whose foreign-key check takes FOR KEY SHARE on this row and so waits for us (or we
        # wait for it and then see it below). No draft can slip in while we edit in place.
        latest = (
            FormVersion.objects.select_for_update().filter(form=form).order_by("-number").first()
        )
        try:
            clean = form_fields_clean(fields, scoring=latest.scoring if latest else None)
        except ValidationError as error:
            raise ValidationError({"fields": error.messages}) from error
        description = description.strip()
        details_changed = (form.title, form.description) != (title, description)
        fields_changed = latest is None or latest.fields != clean
        if latest is not None and not (details_changed or fields_changed):
            return FormSaved(form=form, version=latest, new_version=False, changed=False)
        new_version = False
        if latest is None or (fields_changed and version_has_submissions(latest)):
            latest = FormVersion.objects.create(
                form=form,
                number=(latest.number + 1) if latest else 1,
                fields=clean,
                scoring=latest.scoring if latest else None,
                created_by=actor,
            )
            new_version = True
        elif fields_changed:
            latest.fields = clean
            latest.save(update_fields=["fields"])
        form.title, form.description = title, description
        form.save(update_fields=["title", "description", "updated_at"])
        audit_record(
            action="form.edited",
            request=request,
            actor=actor,
            object_type="form",
            object_id=form.pk,
            detail={
                "version": latest.number,
                "new_version": new_version,
                "fields_changed": fields_changed,
            },
        )
    return FormSaved(form=form, version=latest, new_version=new_version, changed=True)


def form_archive(*, actor: User, form: Form, request: HttpRequest | None = None) -> Form:
    """Archive `form`: it can no longer be shared or edited; existing shares and submissions are
    kept. Audits `form.archived` (nothing happens if it already is)."""
    return _form_archived_set(actor=actor, form=form, archived=True, request=request)


def form_unarchive(*, actor: User, form: Form, request: HttpRequest | None = None) -> Form:
    """Bring an archived form back. Audits `form.unarchived`."""
    return _form_archived_set(actor=actor, form=form, archived=False, request=request)


def _form_archived_set(
    *, actor: User, form: Form, archived: bool, request: HttpRequest | None
) -> Form:
    with transaction.atomic():
        form = Form.objects.select_for_update().get(pk=form.pk)
        if form.is_archived == archived:
            return form
        form.is_archived = archived
        form.save(update_fields=["is_archived", "updated_at"])
        audit_record(
            action="form.archived" if archived else "form.unarchived",
            request=request,
            actor=actor,
            object_type="form",
            object_id=form.pk,
        )
    return form


# --- Sharing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharesSaved:
    """What one save of a client's documentation did: form ids newly shared, un-shared (kept,
    marked, because the client had started or submitted them) and removed (never started), and
    whether the client was emailed."""

    shared: list[int]
    unshared_kept: list[int]
    removed: list[int]
    emailed: bool


def client_form_shares_set(
    *,
    actor: User,
    client: Client,
    form_ids: Iterable[int],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> SharesSaved:
    """Make the forms actively shared with `client` exactly `form_ids` (the ticked boxes); see
    `_shares_change` for the rules, audit and email."""
    wanted = set(form_ids)
    return _shares_change(
        actor=actor,
        client=client,
        target=lambda _active: wanted,
        message=message,
        requested_in_setup=requested_in_setup,
        notify=notify,
        request=request,
    )


def client_forms_share(
    *,
    actor: User,
    client: Client,
    form_ids: Iterable[int],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> SharesSaved:
    """Share `form_ids` with `client` in addition to what is already shared (the setup wizard,
    the API); forms already shared are left as they are."""
    extra = set(form_ids)
    return _shares_change(
        actor=actor,
        client=client,
        target=lambda active: active | extra,
        message=message,
        requested_in_setup=requested_in_setup,
        notify=notify,
        request=request,
    )


def client_forms_unshare(
    *, actor: User, client: Client, form_ids: Iterable[int], request: HttpRequest | None = None
) -> SharesSaved:
    """Un-share `form_ids` from `client` (forms not shared are ignored), by the rules of
    `_shares_change`."""
    gone = set(form_ids)
    return _shares_change(
        actor=actor, client=client, target=lambda active: active - gone, request=request
    )


def _shares_change(
    *,
    actor: User,
    client: Client,
    target: Callable[[set[int]], set[int]],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> SharesSaved:
    """Make the forms actively shared with `client` `target(currently active form ids)`, computed
    under the client's row lock so that concurrent saves never interleave.

    - A form not yet shared gets a new share carrying `message` (shown only in the portal).
      Only forms that can be shared (not archived, with a version) may be added; others raise
      ValidationError.
    - An actively shared form left out is un-shared: if the client never started it, the share
      is deleted (it disappears from the portal); if they started or submitted it, the share is
      kept with `unshared_at` set (the portal shows it, marked).
    Audits `form.shared` / `form.unshared` per form (ids only). When something was newly shared,
    `notify` is on and the client can use the portal (active, allows email), queues ONE email
    that only says new forms are waiting, with a link: no titles, no message. Raises
    ValidationError for a message that is too long or a form that cannot be shared."""
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": [f"The message can be at most {MAX_MESSAGE} characters."]}
        )
    now = timezone.now()
    with transaction.atomic():
        # One save at a time per client: two staff saving at once would otherwise both add.
        client = Client.objects.select_for_update().get(pk=client.pk)
        active = {
            share.form_id: share
            for share in FormShare.objects.select_for_update().filter(
                client=client, unshared_at__isnull=True
            )
        }
        wanted = target(set(active))
        to_add = sorted(wanted - active.keys())
        if to_add:
            addable = set(
                Form.objects.filter(pk__in=to_add, is_archived=False, versions__isnull=False)
                .values_list("pk", flat=True)
                .distinct()
            )
            if addable != set(to_add):
                raise ValidationError(
                    {"forms": ["One of the ticked forms is archived or no longer exists."]}
                )
        shared: list[int] = []
        for form_id in to_add:
            FormShare.objects.create(
                client=client,
                form_id=form_id,
                shared_by=actor,
                shared_at=now,
                message=message,
                requested_in_setup=requested_in_setup,
            )
            shared.append(form_id)
        kept: list[int] = []
        removed: list[int] = []
        for form_id in sorted(active.keys() - wanted):
            share = active[form_id]
            if FormSubmission.objects.filter(share=share).exists():
                share.unshared_at = now
                share.save(update_fields=["unshared_at"])
                kept.append(form_id)
            else:
                share.delete()
                removed.append(form_id)
        for form_id in shared:
            audit_record(
                action="form.shared",
                request=request,
                actor=actor,
                object_type="client",
                object_id=client.pk,
                detail={"form": form_id, "in_setup": requested_in_setup},
            )
        for form_id in kept + removed:
            audit_record(
                action="form.unshared",
                request=request,
                actor=actor,
                object_type="client",
                object_id=client.pk,
                detail={"form": form_id, "kept": form_id in kept},
            )
        emailed = bool(shared) and notify and _forms_email_queue(client, request, now)
    return SharesSaved(shared=shared, unshared_kept=kept, removed=removed, emailed=emailed)


def _forms_email_queue(client: Client, request: HttpRequest | None, now: Any) -> bool:
    """Queue the "new forms are waiting" email if the client can use the portal and allows
    email. Deliberately content-free: no title, no message, not even the client's name."""
    if client.portal_status != PortalStatus.ACTIVE or not client.email or request is None:
        return False
    if not PortalAccess.objects.filter(client=client, allows_email=True).exists():
        return False
    practice_name = request_practice(request).name
    email_enqueue(
        kind="forms_shared",
        to_email=client.email,
        subject=f"New forms are waiting in your portal at {practice_name}",
        template_name=_NEW_FORMS_EMAIL_TEMPLATE,
        context={
            "practice_name": practice_name,
            "portal_url": portal_link("/documents/"),
        },
        idempotency_key=f"forms-shared:{client.pk}:{now.isoformat()}",
        client=client,
    )
    return True
