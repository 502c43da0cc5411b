"""Changing client records. One transaction and one audit row per change; the audit row names the
client by id and lists changed field *names*, never values (no PHI in the audit detail).

Archiving a client with portal access takes that access away. Portal access is the invitations
app's, which builds on this one: it hands its revoke step over with
`client_archive_access_revoker_set` (from its AppConfig), so this app never imports it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from shared_apps.accounts.fields import email_max_length
from shared_apps.accounts.models import StaffRole, User, UserKind, normalize_email
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.clients.selectors import client_emails_in_use

_MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "preferred_name": 150,
    "pronouns": 50,
    "email": email_max_length(),
    "phone": 32,
}
_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "email": "Email",
    "phone": "Phone",
}


def duplicate_email_message(email: str) -> str:
    return f"A client with this email already exists: {email}"


@dataclass(frozen=True)
class ClientData:
    """What staff type about a client. `clean()` trims text and lower-cases the email."""

    first_name: str
    last_name: str
    preferred_name: str = ""
    pronouns: str = ""
    email: str = ""
    phone: str = ""
    date_of_birth: datetime.date | None = None
    clinician: User | None = None

    @classmethod
    def of(cls, client: Client) -> ClientData:
        return cls(**{field.name: getattr(client, field.name) for field in fields(cls)})

    def clean(self) -> ClientData:
        return replace(
            self,
            first_name=self.first_name.strip(),
            last_name=self.last_name.strip(),
            preferred_name=self.preferred_name.strip(),
            pronouns=self.pronouns.strip(),
            email=normalize_email(self.email),
            phone=self.phone.strip(),
        )


def client_data_errors(data: ClientData) -> dict[str, list[str]]:
    """Field → messages for `data` (already cleaned), without touching the database."""
    errors: dict[str, list[str]] = {}
    for name in ("first_name", "last_name"):
        if not getattr(data, name):
            errors.setdefault(name, []).append(f"{_LABELS[name]} is required.")
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(data, name)) > limit:
            errors.setdefault(name, []).append(
                f"{_LABELS[name]} can be at most {limit} characters."
            )
    if data.email and "email" not in errors:
        try:
            validate_email(data.email)
        except ValidationError:
            errors.setdefault("email", []).append("Enter a valid email address.")
    if data.date_of_birth is not None and data.date_of_birth > timezone.localdate():
        errors.setdefault("date_of_birth", []).append("The date of birth is in the future.")
    return errors


def _validate(*, actor: User, data: ClientData, client: Client | None = None) -> None:
    errors = client_data_errors(data)
    clinician = data.clinician
    # An unchanged assignment stays valid when that clinician has since been deactivated.
    is_new_assignment = client is None or clinician != client.clinician
    if (clinician is not None and is_new_assignment) and not (
        clinician.kind == UserKind.STAFF
        and clinician.role == StaffRole.CLINICIAN
        and clinician.is_active
    ):
        errors.setdefault("clinician", []).append("Choose one of the practice's clinicians.")
    if actor.role == StaffRole.CLINICIAN and clinician != actor:
        errors.setdefault("clinician", []).append(
            "As a clinician you can only keep clients assigned to yourself."
        )
    if (
        data.email
        and "email" not in errors
        and not (client is not None and client.is_archived)
        and client_emails_in_use(emails=[data.email], exclude_id=client.pk if client else None)
    ):
        errors.setdefault("email", []).append(duplicate_email_message(data.email))
    if errors:
        raise ValidationError(errors)


def _save(client: Client, email: str) -> None:
    """Save, turning a lost race on the unique email into the same message as the check."""
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as error:
        if "client_email_unique_among_active" in str(error):
            raise ValidationError({"email": [duplicate_email_message(email)]}) from error
        raise


class PortalAccessRevoker(Protocol):
    """Takes a client's portal access away inside the caller's transaction; returns the client
    as saved."""

    def __call__(
        self, *, actor: User, origin: RequestOrigin | None = None, client: Client
    ) -> Client: ...


_access_revokers: list[PortalAccessRevoker] = []


def client_archive_access_revoker_set(revoker: PortalAccessRevoker) -> None:
    """Wiring, called once at start-up by the app that owns portal access: how archiving a
    client with access (invited or active) takes it away."""
    _access_revokers[:] = [revoker]


def client_create(*, actor: User, origin: RequestOrigin | None = None, data: ClientData) -> Client:
    """Create a client record. Raises ValidationError (field → messages); audits
    `client.created`."""
    data = data.clean()
    with transaction.atomic(durable=True):
        _validate(actor=actor, data=data)
        client = Client(**{field.name: getattr(data, field.name) for field in fields(ClientData)})
        _save(client, data.email)
        audit_record(
            action=AuditAction.CLIENT_CREATED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=client.pk,
        )
    return client


def client_update(
    *,
    actor: User,
    origin: RequestOrigin | None = None,
    client: Client,
    data: ClientData,
    is_archived: bool | None = None,
) -> Client:
    """Replace `client`'s details with `data`, and archive or restore it when `is_archived` says
    so (restored before the details change, archived after): all or nothing. Raises
    ValidationError; audits `client.updated` with the names of the fields that changed (nothing
    is written when none did), and `client.archived` / `client.unarchived` as those do."""
    with transaction.atomic(durable=True):
        if is_archived is False:
            client = _unarchive(actor=actor, origin=origin, client=client)
        client = _update(actor=actor, origin=origin, client=client, data=data)
        if is_archived is True:
            client = _archive(actor=actor, origin=origin, client=client)
    return client


def _update(
    *, actor: User, origin: RequestOrigin | None = None, client: Client, data: ClientData
) -> Client:
    data = data.clean()
    changed = [
        field.name
        for field in fields(ClientData)
        if getattr(data, field.name) != getattr(client, field.name)
    ]
    if not changed:
        return client
    _validate(actor=actor, data=data, client=client)
    for name in changed:
        setattr(client, name, getattr(data, name))
    _save(client, data.email)
    audit_record(
        action=AuditAction.CLIENT_UPDATED,
        actor=actor,
        origin=origin,
        object_type="client",
        object_id=client.pk,
        detail={"fields": sorted(changed)},
    )
    return client


def client_archive(*, actor: User, origin: RequestOrigin | None = None, client: Client) -> Client:
    """Archive `client` (hidden from lists, email free for a new record); a client with portal
    access loses it at once (account disabled, signed out everywhere). Audits `client.archived`.
    Archiving an archived client changes nothing."""
    with transaction.atomic(durable=True):
        return _archive(actor=actor, origin=origin, client=client)


def _archive(*, actor: User, origin: RequestOrigin | None = None, client: Client) -> Client:
    if client.is_archived:
        return client
    if client.portal_status in (PortalStatus.INVITED, PortalStatus.ACTIVE):
        if not _access_revokers:
            raise RuntimeError("No portal access revoker is wired: archiving would leave access.")
        client = _access_revokers[0](actor=actor, origin=origin, client=client)
    client.is_archived = True
    client.save(update_fields=["is_archived", "updated_at"])
    audit_record(
        action=AuditAction.CLIENT_ARCHIVED,
        actor=actor,
        origin=origin,
        object_type="client",
        object_id=client.pk,
    )
    return client


def client_unarchive(*, actor: User, origin: RequestOrigin | None = None, client: Client) -> Client:
    """Bring `client` back. Raises ValidationError when an active client now has the same email;
    audits `client.unarchived`."""
    with transaction.atomic(durable=True):
        return _unarchive(actor=actor, origin=origin, client=client)


def _unarchive(*, actor: User, origin: RequestOrigin | None = None, client: Client) -> Client:
    if not client.is_archived:
        return client
    if client.email and client_emails_in_use(emails=[client.email]):
        raise ValidationError({"email": [duplicate_email_message(client.email)]})
    client.is_archived = False
    try:
        with transaction.atomic():
            client.save(update_fields=["is_archived", "updated_at"])
    except IntegrityError as error:
        raise ValidationError({"email": [duplicate_email_message(client.email)]}) from error
    audit_record(
        action=AuditAction.CLIENT_UNARCHIVED,
        actor=actor,
        origin=origin,
        object_type="client",
        object_id=client.pk,
    )
    return client


def client_import(
    *, actor: User, origin: RequestOrigin | None = None, rows: list[ClientData]
) -> list[Client]:
    """Create every client of `rows` or none: one transaction, one audit row
    (`client.imported`, with the count only). Raises ValidationError when a row is invalid or an
    email is used twice (in `rows` or by an active client)."""
    cleaned = [row.clean() for row in rows]
    emails = [row.email for row in cleaned if row.email]
    if any(client_data_errors(row) for row in cleaned) or len(emails) != len(set(emails)):
        raise ValidationError("Some rows cannot be imported; check the file again.")
    with transaction.atomic(durable=True):
        if client_emails_in_use(emails=emails):
            raise ValidationError("Some emails already belong to clients; check the file again.")
        try:
            with transaction.atomic():
                clients = Client.objects.bulk_create(
                    [
                        Client(**{f.name: getattr(row, f.name) for f in fields(ClientData)})
                        for row in cleaned
                    ]
                )
        except IntegrityError as error:
            raise ValidationError(
                "Some emails already belong to clients; check the file again."
            ) from error
        audit_record(
            action=AuditAction.CLIENT_IMPORTED,
            actor=actor,
            origin=origin,
            object_type="client",
            detail={"count": len(clients)},
        )
    return clients
