"""Building forms and sharing them with clients.

Each change runs in one transaction with its audit row (and, for a share, its outbox email). Audit
details carry ids, version numbers and counts, never a title, question or message.

Versioning (the contract submissions rely on): a `FormVersion` that any submission points at is
never changed again. Saving a form whose fields changed updates the latest version in place while
no client has started it, and otherwise creates version number + 1; a save that changes only the
title or description creates no version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.forms.models import (
    Form,
    FormKind,
    FormShare,
    FormSubmission,
    FormVersion,
)
from tenant_apps.forms.selectors import version_has_submissions
from tenant_apps.forms.validation import form_fields_clean, form_title_clean
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.links import portal_link
from tenant_apps.notifications.services import email_enqueue

MAX_MESSAGE = 2000
_NEW_FORMS_EMAIL_TEMPLATE = "forms/email/forms_shared.txt"


# --- Forms -------------------------------------------------------------------------------------


def form_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    fields: Sequence[dict[str, Any]],
    kind: FormKind = FormKind.CUSTOM,
    origin: RequestOrigin | None = None,
) -> Form:
    """Create a form with its version 1. Raises ValidationError (title, or the fields' list of
    problems under `fields`). Audits `form.created`."""
    title = form_title_clean(title)
    try:
        clean = form_fields_clean(fields)
    except ValidationError as error:
        raise ValidationError({"fields": error.messages}) from error
    with transaction.atomic(durable=True):
        form = Form.objects.create(
            title=title, description=description.strip(), kind=kind, created_by=actor
        )
        FormVersion.objects.create(form=form, number=1, fields=clean, created_by=actor)
        audit_record(
            action=AuditAction.FORM_CREATED,
            actor=actor,
            origin=origin,
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
    origin: RequestOrigin | None = None,
) -> FormSaved:
    """Save the builder's edit of `form` (see the module docstring for versioning). Raises
    ValidationError like `form_create`, and for an archived form. Audits `form.edited` with the
    resulting version number and whether it is new; writes nothing when nothing changed."""
    title = form_title_clean(title)
    with transaction.atomic(durable=True):
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
            action=AuditAction.FORM_EDITED,
            actor=actor,
            origin=origin,
            object_type="form",
            object_id=form.pk,
            detail={
                "version": latest.number,
                "new_version": new_version,
                "fields_changed": fields_changed,
            },
        )
    return FormSaved(form=form, version=latest, new_version=new_version, changed=True)


def form_archive(*, actor: User, form: Form, origin: RequestOrigin | None = None) -> Form:
    """Archive `form`: it can no longer be shared or edited; existing shares and submissions are
    kept. Audits `form.archived` (nothing happens if it already is)."""
    return _form_archived_set(actor=actor, form=form, archived=True, origin=origin)


def form_unarchive(*, actor: User, form: Form, origin: RequestOrigin | None = None) -> Form:
    """Bring an archived form back. Audits `form.unarchived`."""
    return _form_archived_set(actor=actor, form=form, archived=False, origin=origin)


def _form_archived_set(
    *, actor: User, form: Form, archived: bool, origin: RequestOrigin | None
) -> Form:
    with transaction.atomic(durable=True):
        form = Form.objects.select_for_update().get(pk=form.pk)
        if form.is_archived == archived:
            return form
        form.is_archived = archived
        form.save(update_fields=["is_archived", "updated_at"])
        audit_record(
            action=AuditAction.FORM_ARCHIVED if archived else AuditAction.FORM_UNARCHIVED,
            actor=actor,
            origin=origin,
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
    origin: RequestOrigin | None = None,
) -> SharesSaved:
    """Make the forms actively shared with `client` exactly `form_ids` (the ticked boxes), in
    its own transaction; see `_shares_change` for the rules, audit and email."""
    wanted = set(form_ids)
    with transaction.atomic(durable=True):
        return _shares_change(
            actor=actor,
            client=client,
            target=lambda _active: wanted,
            message=message,
            origin=origin,
        )


def client_forms_share(
    *,
    actor: User,
    client: Client,
    form_ids: Iterable[int],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    origin: RequestOrigin | None = None,
) -> SharesSaved:
    """Share `form_ids` with `client` in addition to what is already shared (the API), in its
    own transaction; forms already shared are left as they are. See `_shares_change`."""
    with transaction.atomic(durable=True):
        return client_forms_share_in_transaction(
            actor=actor,
            client=client,
            form_ids=form_ids,
            message=message,
            requested_in_setup=requested_in_setup,
            notify=notify,
            origin=origin,
        )


def client_forms_share_in_transaction(
    *,
    actor: User,
    client: Client,
    form_ids: Iterable[int],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    origin: RequestOrigin | None = None,
) -> SharesSaved:
    """`client_forms_share` inside the caller's transaction, for a service that shares forms as
    part of a larger change (the portal set-up shares with `requested_in_setup` and
    `notify=False`: the invitation is the only email)."""
    extra = set(form_ids)
    return _shares_change(
        actor=actor,
        client=client,
        target=lambda active: active | extra,
        message=message,
        requested_in_setup=requested_in_setup,
        notify=notify,
        origin=origin,
    )


def client_forms_unshare(
    *,
    actor: User,
    client: Client,
    form_ids: Iterable[int],
    origin: RequestOrigin | None = None,
) -> SharesSaved:
    """Un-share `form_ids` from `client` (forms not shared are ignored), in its own transaction,
    by the rules of `_shares_change`."""
    gone = set(form_ids)
    with transaction.atomic(durable=True):
        return _shares_change(
            actor=actor, client=client, target=lambda active: active - gone, origin=origin
        )


def _shares_change(
    *,
    actor: User,
    client: Client,
    target: Callable[[set[int]], set[int]],
    message: str = "",
    requested_in_setup: bool = False,
    notify: bool = True,
    origin: RequestOrigin | None = None,
) -> SharesSaved:
    """Make the forms actively shared with `client` `target(currently active form ids)`, computed
    under the client's row lock so that concurrent saves never interleave. Runs inside the
    caller's transaction.

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
            action=AuditAction.FORM_SHARED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=client.pk,
            detail={"form": form_id, "in_setup": requested_in_setup},
        )
    for form_id in kept + removed:
        audit_record(
            action=AuditAction.FORM_UNSHARED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=client.pk,
            detail={"form": form_id, "kept": form_id in kept},
        )
    emailed = bool(shared) and notify and _forms_email_queue(client, now)
    return SharesSaved(shared=shared, unshared_kept=kept, removed=removed, emailed=emailed)


def _forms_email_queue(client: Client, now: datetime) -> bool:
    """Queue the "new forms are waiting" email if the client can use the portal and allows
    email. Deliberately content-free: no title, no message, not even the client's name."""
    if client.portal_status != PortalStatus.ACTIVE or not client.email:
        return False
    if not PortalAccess.objects.filter(client=client, allows_email=True).exists():
        return False
    practice = current_practice()
    email_enqueue(
        kind="forms_shared",
        to_email=client.email,
        subject=f"New forms are waiting in your portal at {practice.name}",
        template_name=_NEW_FORMS_EMAIL_TEMPLATE,
        context={
            "practice_name": practice.name,
            "portal_url": portal_link("/documents/", practice=practice),
        },
        idempotency_key=f"forms-shared:{client.pk}:{now.isoformat()}",
        client=client,
    )
    return True
