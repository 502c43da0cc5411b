"""Giving clients portal access: the setup wizard's choices, invitations (send, resend, accept)
and revoking access.

Each change runs in one transaction with its audit row and any outbox email, in the current
practice's schema; the `*_in_transaction` variants do the same work inside a caller's transaction
(the setup wizard's single service, archiving a client). Audit rows name clients, accounts and
invitations by id only; emails carry the recipient's first name and the practice's name, nothing
else about them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import User, UserKind
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import RequestOrigin
from tenant_apps.accounts.services import account_sessions_end
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.invitations.errors import InvitationError
from tenant_apps.invitations.models import (
    COLLECT_STEPS,
    FEATURES,
    OPEN_STATUSES,
    Invitation,
    InvitationStatus,
    PortalAccess,
)
from tenant_apps.invitations.selectors import (
    invitation_usable,
    portal_access_defaults,
    token_sha256,
)
from tenant_apps.notifications.links import portal_link
from tenant_apps.notifications.services import email_enqueue

INVITATION_LIFETIME = timedelta(days=7)
_INVITATION_EMAIL_TEMPLATE = "invitations/email/client_invitation.txt"
ACCESS_FIELDS = (*FEATURES, *(f"collect_{name}" for name in COLLECT_STEPS))


def _locked(client: Client) -> Client:
    return Client.objects.select_for_update().get(pk=client.pk)


def portal_access_set_in_transaction(
    *, actor: User, origin: RequestOrigin | None = None, client: Client, choices: dict[str, bool]
) -> PortalAccess:
    """Save the features and information to collect for `client` (missing keys keep their
    value, or the practice's default for a new row), in the caller's transaction. Audits
    `portal_access.updated` with the names of the changed choices."""
    with transaction.atomic():
        _locked(client)  # two first saves at once: the second waits, then finds the row
        access = PortalAccess.objects.filter(client=client).first()
        if access is None:
            access = PortalAccess(client=client, **portal_access_defaults())
            access.save()
        changed = sorted(
            name
            for name in ACCESS_FIELDS
            if name in choices and bool(choices[name]) != getattr(access, name)
        )
        for name in changed:
            setattr(access, name, bool(choices[name]))
        if changed:
            access.save()
            audit_record(
                action=AuditAction.PORTAL_ACCESS_UPDATED,
                actor=actor,
                origin=origin,
                object_type="client",
                object_id=client.pk,
                detail={"fields": changed},
            )
    return access


def _client_account(client: Client) -> User:
    """The client's portal account, made (disabled, without a password) on the first
    invitation; its email follows the client record's."""
    account = client.account
    taken = User.objects.filter(email=client.email)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise InvitationError(
            "Another account at this practice already uses this client's email address."
        )
    if account is None:
        return User.objects.create_user(
            client.email,
            None,
            kind=UserKind.CLIENT,
            first_name=client.first_name,
            last_name=client.last_name,
            is_active=False,
        )
    if account.email != client.email:
        account.email = client.email
        account.save(update_fields=["email"])
    return account


def _issue(
    *, actor: User, origin: RequestOrigin | None = None, client: Client, action: AuditAction
) -> Invitation:
    """Close the client's open invitations, make a new one and queue its email."""
    now = timezone.now()
    Invitation.objects.filter(client=client, status__in=OPEN_STATUSES).update(
        status=InvitationStatus.REPLACED, replaced_at=now
    )
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        client=client,
        token_sha256=token_sha256(raw),
        sent_by_id=actor.pk,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    practice_name = current_practice().name
    email_enqueue(
        kind="client_invitation",
        to_email=client.email,
        subject=f"Your client portal at {practice_name}",
        template_name=_INVITATION_EMAIL_TEMPLATE,
        context={
            "first_name": client.preferred_name or client.first_name,
            "practice_name": practice_name,
            "invitation_url": portal_link(f"/invitation/{raw}/"),
            "expires_days": INVITATION_LIFETIME.days,
        },
        idempotency_key=f"client-invitation:{invitation.pk}",
        client=client,
    )
    audit_record(
        action=action,
        actor=actor,
        origin=origin,
        object_type="client",
        object_id=client.pk,
        detail={"invitation": invitation.pk},
    )
    return invitation


def invitation_send(
    *, actor: User, origin: RequestOrigin | None = None, client: Client
) -> Invitation:
    """Invite `client` to the portal (also: grant access again after a revoke). Makes the
    client's account (disabled until they accept), their portal access with the practice's
    defaults unless the wizard set it, a 7-day single-use link emailed through the outbox; the
    client becomes `invited`. Audits `invitation.sent`.

    Raises InvitationError when the client is archived, has no email, already has access, or
    their email belongs to another account of the practice.
    """
    with transaction.atomic(durable=True):
        return invitation_send_in_transaction(actor=actor, origin=origin, client=client)


def invitation_send_in_transaction(
    *, actor: User, origin: RequestOrigin | None = None, client: Client
) -> Invitation:
    """`invitation_send` inside the caller's transaction."""
    with transaction.atomic():
        client = _locked(client)
        if client.is_archived:
            raise InvitationError("An archived client cannot be invited.")
        if not client.email:
            raise InvitationError("Add the client's email address before inviting them.")
        if client.portal_status == PortalStatus.ACTIVE:
            raise InvitationError("This client already has access to the portal.")
        if client.portal_status == PortalStatus.INVITED:
            raise InvitationError("This client is already invited: resend the invitation.")
        account = _client_account(client)
        if not PortalAccess.objects.filter(client=client).exists():
            PortalAccess.objects.create(client=client, **portal_access_defaults())
        client.account = account
        client.portal_status = PortalStatus.INVITED
        client.save(update_fields=["account", "portal_status", "updated_at"])
        return _issue(actor=actor, origin=origin, client=client, action=AuditAction.INVITATION_SENT)


def invitation_resend(
    *, actor: User, origin: RequestOrigin | None = None, client: Client
) -> Invitation:
    """Send an invited client a new link; the old one stops working at once. Audits
    `invitation.resent`. Raises InvitationError when the client is not invited (any more)."""
    with transaction.atomic(durable=True):
        client = _locked(client)
        if client.portal_status != PortalStatus.INVITED or client.is_archived:
            raise InvitationError("Only a client with a pending invitation can get a new link.")
        _client_account(client)  # the email may have changed since
        return _issue(
            actor=actor, origin=origin, client=client, action=AuditAction.INVITATION_RESENT
        )


def portal_access_revoke(
    *, actor: User, origin: RequestOrigin | None = None, client: Client
) -> Client:
    """Take the portal away from `client`: open invitations are revoked, the account is disabled
    and every session of it is deleted at once (the next request lands on sign-in). Audits
    `invitation.revoked` with the number of sessions ended. Raises InvitationError when the
    client has no access to revoke."""
    with transaction.atomic(durable=True):
        return portal_access_revoke_in_transaction(actor=actor, origin=origin, client=client)


def portal_access_revoke_in_transaction(
    *, actor: User, origin: RequestOrigin | None = None, client: Client
) -> Client:
    """`portal_access_revoke` inside the caller's transaction (archiving a client)."""
    with transaction.atomic():
        client = _locked(client)
        if client.portal_status not in (PortalStatus.INVITED, PortalStatus.ACTIVE):
            raise InvitationError("This client has no portal access to revoke.")
        Invitation.objects.filter(client=client, status__in=OPEN_STATUSES).update(
            status=InvitationStatus.REVOKED, revoked_at=timezone.now()
        )
        ended = 0
        account = client.account
        if account is not None:
            account.is_active = False
            account.save(update_fields=["is_active"])
            ended = account_sessions_end(user=account)
        client.portal_status = PortalStatus.REVOKED
        client.save(update_fields=["portal_status", "updated_at"])
        audit_record(
            action=AuditAction.INVITATION_REVOKED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=client.pk,
            detail={"sessions_ended": ended},
        )
    return client


def invitation_open(*, raw: str) -> Invitation | None:
    """Note the first time a usable link is opened; None when the link is not usable."""
    with transaction.atomic(durable=True):
        invitation = invitation_usable(raw=raw, for_update=True)
        if invitation is None:
            return None
        if invitation.status == InvitationStatus.SENT:
            invitation.status = InvitationStatus.OPENED
            invitation.opened_at = timezone.now()
            invitation.save(update_fields=["status", "opened_at"])
    return invitation


def invitation_accept(
    *, origin: RequestOrigin | None = None, raw_token: str, password: str
) -> User | None:
    """Accept an invitation: the client's account gets its password and is enabled, the client
    becomes `active`. Single use. None when the link is not (or no longer) valid. Audits
    `invitation.accepted`, acted by the client's account (the link proves who acts); the caller
    signs the client in."""
    with transaction.atomic(durable=True):
        invitation = invitation_usable(raw=raw_token, for_update=True)
        if invitation is None:
            return None
        client = _locked(invitation.client)
        account = User.objects.select_for_update().filter(pk=client.account_id or 0).first()
        if account is None:
            return None
        now = timezone.now()
        account.set_password(password)
        account.is_active = True
        account.email_confirmed_at = account.email_confirmed_at or now
        account.save(update_fields=["password", "is_active", "email_confirmed_at"])
        invitation.status = InvitationStatus.ACCEPTED
        invitation.accepted_at = now
        invitation.opened_at = invitation.opened_at or now
        invitation.save(update_fields=["status", "accepted_at", "opened_at"])
        client.portal_status = PortalStatus.ACTIVE
        client.save(update_fields=["portal_status", "updated_at"])
        audit_record(
            action=AuditAction.INVITATION_ACCEPTED,
            actor=account,
            origin=origin,
            object_type="client",
            object_id=client.pk,
            detail={"invitation": invitation.pk},
        )
    return account


def invitations_bulk_send(
    *, actor: User, origin: RequestOrigin | None = None, clients: list[Client]
) -> tuple[int, int]:
    """Invite each of `clients` that can be invited (not yet invited, with an email); returns
    (sent, skipped). Each invitation is its own transaction: one refusal skips only that client."""
    sent = skipped = 0
    for client in clients:
        try:
            invitation_send(actor=actor, origin=origin, client=client)
        except InvitationError:
            skipped += 1
        else:
            sent += 1
    return sent, skipped
