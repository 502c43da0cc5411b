"""Changes to a practice's accounts: sign-in audit, password reset and change, staff profile,
staff invitations and deactivation.

Each change runs in one transaction with its audit row (tenant_apps/audit) and any outbox email
(tenant_apps/notifications), in the current practice's schema. `actor` is who acts and `origin`
where the request came from (None from a task or a command); session handling (the cookie of this
very request) stays in the views. Audit rows never hold an email
address: accounts are named by id.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from shared_apps.accounts.models import (
    AccountToken,
    StaffRole,
    TokenPurpose,
    User,
    UserKind,
    normalize_email,
)
from shared_apps.accounts.tokens import account_token_issue, account_token_redeem
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import RequestOrigin
from tenant_apps.accounts.errors import StaffDeactivateError, StaffInviteError
from tenant_apps.accounts.passwords import password_digest
from tenant_apps.accounts.selectors import token_sha256, usable_token
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.notifications.links import portal_link
from tenant_apps.notifications.services import email_enqueue

PASSWORD_RESET_LIFETIME = timedelta(hours=1)
STAFF_INVITATION_LIFETIME = timedelta(days=7)
_RESET_EMAIL_TEMPLATE = "practice_accounts/email/password_reset.txt"
_INVITE_EMAIL_TEMPLATE = "practice_accounts/email/staff_invitation.txt"


# --- Sessions -------------------------------------------------------------------------------------
def account_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete every live session of `user` in this practice except `keep_session_key`; returns
    how many."""
    return accounts_sessions_end(user_ids={user.pk}, keep_session_key=keep_session_key)


def accounts_sessions_end(*, user_ids: set[int], keep_session_key: str | None = None) -> int:
    """Delete every live session of these accounts in this practice except `keep_session_key`;
    returns how many. Sessions are signed blobs, so each live one of the practice is decoded once
    (one practice's table: a bounded scan)."""
    wanted = {str(pk) for pk in user_ids}
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.session_key != keep_session_key
        and session.get_decoded().get(SESSION_KEY) in wanted
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


# --- Sign-in audit ------------------------------------------------------------------------------
def _account_id(email: str) -> int | None:
    return User.objects.filter(email=normalize_email(email)).values_list("pk", flat=True).first()


def signin_failure_record(
    *, actor: User | None, origin: RequestOrigin | None = None, email: str, locked_now: bool
) -> None:
    """Audit a refused sign-in (`signin.failed`) and, when it locked the account or IP,
    `signin.locked`. `actor` is whoever is already signed in on that browser (usually None).
    The account is named by id when it exists, never by email."""
    account_id = _account_id(email)
    object_type = "user" if account_id else ""
    with transaction.atomic(durable=True):
        audit_record(
            action=AuditAction.SIGNIN_FAILED,
            actor=actor,
            origin=origin,
            object_type=object_type,
            object_id=account_id or "",
        )
        if locked_now:
            audit_record(
                action=AuditAction.SIGNIN_LOCKED,
                actor=actor,
                origin=origin,
                object_type=object_type,
                object_id=account_id or "",
            )


def signin_refused_while_locked_record(
    *, actor: User | None, origin: RequestOrigin | None = None, email: str
) -> None:
    """Audit an attempt refused because of a lockout (`signin.failed`, detail `locked`)."""
    account_id = _account_id(email)
    audit_record(
        action=AuditAction.SIGNIN_FAILED,
        actor=actor,
        origin=origin,
        object_type="user" if account_id else "",
        object_id=account_id or "",
        detail={"locked": True},
    )


def signin_success_record(*, actor: User, origin: RequestOrigin | None = None) -> None:
    audit_record(
        action=AuditAction.SIGNIN_SUCCEEDED,
        actor=actor,
        origin=origin,
        object_type="user",
        object_id=actor.pk,
    )


def signout_record(*, actor: User, origin: RequestOrigin | None = None) -> None:
    audit_record(
        action=AuditAction.SIGNOUT,
        actor=actor,
        origin=origin,
        object_type="user",
        object_id=actor.pk,
    )


# --- Password reset -----------------------------------------------------------------------------
def password_reset_request(
    *, actor: User | None, origin: RequestOrigin | None = None, email: str
) -> None:
    """Send a reset link to `email` if it is an active staff or client account of this practice
    with a password; otherwise do nothing visible. The same work is done either way (a token is
    made and the email rendered), so neither the answer nor its timing says whether the address
    exists. Audits `password.reset_requested` (the account by id when known, never the email);
    `actor` is whoever is signed in on the asking browser (usually None)."""
    user = (
        User.objects.filter(
            email=normalize_email(email),
            is_active=True,
            kind__in=[UserKind.STAFF, UserKind.CLIENT],
        )
        .only("pk", "email", "first_name", "password", "kind", "role", "is_active")
        .first()
    )
    if user is not None and not user.has_usable_password():
        user = None  # invited, not joined yet: the invitation is the way in
    raw = secrets.token_urlsafe(32)
    context = {
        "first_name": user.first_name if user else "",
        "practice_name": current_practice().name,
        "reset_url": portal_link(f"/reset-password/{raw}/"),
        "expires_minutes": int(PASSWORD_RESET_LIFETIME.total_seconds() // 60),
    }
    with transaction.atomic(durable=True):
        if user is None:
            render_to_string(_RESET_EMAIL_TEMPLATE, context)
            audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, actor=actor, origin=origin)
            return
        token = AccountToken.objects.create(
            user=user,
            purpose=TokenPurpose.PASSWORD_RESET,
            token_sha256=token_sha256(raw),
            password_digest=password_digest(user),
            expires_at=timezone.now() + PASSWORD_RESET_LIFETIME,
        )
        email_enqueue(
            kind="password_reset",
            to_email=user.email,
            subject=f"Reset your password for {context['practice_name']}",
            template_name=_RESET_EMAIL_TEMPLATE,
            context=context,
            idempotency_key=f"password-reset:{token.pk}",
        )
        audit_record(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=user.pk,
        )


def password_reset_complete(
    *, origin: RequestOrigin | None = None, raw_token: str, password: str
) -> User | None:
    """Set a new password with a reset link; None when the link is not (or no longer) valid.

    Single use: the token, and every other reset token of the account, is used up. Every session
    of the account is ended (including any the requester had). Audits `password.reset`, acted by
    the account whose link it is (the link proves who acts).
    """
    with transaction.atomic(durable=True):
        token = usable_token(raw=raw_token, purpose=TokenPurpose.PASSWORD_RESET, for_update=True)
        if token is None:
            return None
        user = token.user
        user.set_password(password)
        user.save(update_fields=["password"])
        AccountToken.objects.filter(
            user=user, purpose=TokenPurpose.PASSWORD_RESET, used_at__isnull=True
        ).update(used_at=timezone.now())
        account_sessions_end(user=user)
        audit_record(
            action=AuditAction.PASSWORD_RESET,
            actor=user,
            origin=origin,
            object_type="user",
            object_id=user.pk,
        )
        return user


# --- Profile ------------------------------------------------------------------------------------
def profile_update(
    *, actor: User, origin: RequestOrigin | None = None, first_name: str, last_name: str, email: str
) -> User:
    """Change a staff member's own name and email (the caller checks the email is free).
    Audits `profile.updated` with the names of the changed fields."""
    changes = {"first_name": first_name, "last_name": last_name, "email": normalize_email(email)}
    changed = sorted(field for field, value in changes.items() if getattr(actor, field) != value)
    if not changed:
        return actor
    with transaction.atomic(durable=True):
        for field in changed:
            setattr(actor, field, changes[field])
        actor.save(update_fields=changed)
        audit_record(
            action=AuditAction.PROFILE_UPDATED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=actor.pk,
            detail={"fields": changed},
        )
    return actor


def password_change(
    *, actor: User, origin: RequestOrigin | None = None, password: str, keep_session_key: str | None
) -> None:
    """Set a new password for `actor` (signed in) and end their sessions except
    `keep_session_key` (the caller's own, whose auth hash the caller updates). Outstanding reset
    links die with the old password hash. Audits `password.changed`."""
    with transaction.atomic(durable=True):
        actor.set_password(password)
        actor.save(update_fields=["password"])
        account_sessions_end(user=actor, keep_session_key=keep_session_key)
        audit_record(
            action=AuditAction.PASSWORD_CHANGED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=actor.pk,
        )


def other_sessions_end(
    *, actor: User, origin: RequestOrigin | None = None, keep_session_key: str | None
) -> int:
    """Sign `actor` out everywhere but the session `keep_session_key`. Audits `sessions.ended`
    with the count."""
    with transaction.atomic(durable=True):
        ended = account_sessions_end(user=actor, keep_session_key=keep_session_key)
        audit_record(
            action=AuditAction.SESSIONS_ENDED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=actor.pk,
            detail={"count": ended},
        )
    return ended


# --- Staff team ---------------------------------------------------------------------------------
INVITABLE_ROLES = (StaffRole.CLINICIAN, StaffRole.ADMIN)


def _is_pending_invitation(user: User) -> bool:
    return user.is_practice_staff and user.is_active and not user.has_usable_password()


def staff_invite(
    *, actor: User, origin: RequestOrigin | None = None, email: str, role: StaffRole
) -> User:
    """Invite a clinician or admin by email: an account without a password and a 7-day, single-use
    link (`/staff/join/<token>/`) sent through the outbox. Inviting an address whose invitation is
    still open sends a new link and kills the old one. Audits `staff.invited`.

    Raises StaffInviteError when the role cannot be invited or the address already has an
    account at this practice.
    """
    if role not in INVITABLE_ROLES:
        raise StaffInviteError("Only clinicians and admins can be invited.")
    email = normalize_email(email)
    with transaction.atomic(durable=True):
        member = User.objects.select_for_update().filter(email=email).first()
        if member is not None and not _is_pending_invitation(member):
            raise StaffInviteError("That email address already has an account at this practice.")
        if member is None:
            member = User.objects.create_user(email, None, kind=UserKind.STAFF, role=role)
        else:
            member.role = role
            member.save(update_fields=["role"])
            AccountToken.objects.filter(
                user=member, purpose=TokenPurpose.STAFF_INVITATION, used_at__isnull=True
            ).update(used_at=timezone.now())
        raw = account_token_issue(
            user=member, purpose=TokenPurpose.STAFF_INVITATION, lifetime=STAFF_INVITATION_LIFETIME
        )
        practice_name = current_practice().name
        email_enqueue(
            kind="staff_invitation",
            to_email=member.email,
            subject=f"You are invited to {practice_name} on Portico",
            template_name=_INVITE_EMAIL_TEMPLATE,
            context={
                "inviter_first_name": actor.first_name,
                "practice_name": practice_name,
                "role": StaffRole(role).label.lower(),
                "join_url": portal_link(f"/staff/join/{raw}/"),
                "expires_days": STAFF_INVITATION_LIFETIME.days,
            },
            idempotency_key=f"staff-invitation:{token_sha256(raw)}",
        )
        audit_record(
            action=AuditAction.STAFF_INVITED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=member.pk,
            detail={"role": str(role)},
        )
    return member


def staff_join(
    *,
    origin: RequestOrigin | None = None,
    raw_token: str,
    first_name: str,
    last_name: str,
    password: str,
) -> User | None:
    """Accept a staff invitation: set the name and password (the email is confirmed by the link).
    None when the link is not valid. Audits `staff.joined`, acted by the new member (the link
    proves who acts); the caller signs the person in."""
    with transaction.atomic(durable=True):
        member = account_token_redeem(raw=raw_token, purpose=TokenPurpose.STAFF_INVITATION)
        if member is None or not _is_pending_invitation(member):
            return None
        member.first_name = first_name
        member.last_name = last_name
        member.email_confirmed_at = timezone.now()
        member.set_password(password)
        member.save(update_fields=["first_name", "last_name", "email_confirmed_at", "password"])
        audit_record(
            action=AuditAction.STAFF_JOINED,
            actor=member,
            origin=origin,
            object_type="user",
            object_id=member.pk,
        )
    return member


def staff_deactivate(*, actor: User, origin: RequestOrigin | None = None, member: User) -> None:
    """Turn a clinician's or admin's account off: their sessions are deleted at once and their
    open links die. Owners cannot be deactivated here. Audits `staff.deactivated`.

    Raises StaffDeactivateError for an owner (including oneself).
    """
    if member.role == StaffRole.OWNER:
        raise StaffDeactivateError("An owner cannot be deactivated.")
    with transaction.atomic(durable=True):
        member.is_active = False
        member.save(update_fields=["is_active"])
        AccountToken.objects.filter(user=member, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        account_sessions_end(user=member)
        audit_record(
            action=AuditAction.STAFF_DEACTIVATED,
            actor=actor,
            origin=origin,
            object_type="user",
            object_id=member.pk,
        )
