"""Changes to a practice's accounts: sign-in audit, password reset and change, staff profile,
staff invitations and deactivation.

Each change runs in one transaction with its audit row (tenant_apps/audit) and any outbox email
(tenant_apps/notifications), in the current practice's schema. Audit rows never hold an email
address: accounts are named by id.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
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
from shared_apps.tenancy.middleware import request_practice
from tenant_apps.accounts.errors import StaffDeactivateError, StaffInviteError
from tenant_apps.accounts.passwords import password_digest
from tenant_apps.accounts.selectors import token_sha256, usable_token
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


def signin_failure_record(*, request: HttpRequest, email: str, locked_now: bool) -> None:
    """Audit a refused sign-in (`signin.failed`) and, when it locked the account or IP,
    `signin.locked`. The account is named by id when it exists, never by email."""
    account_id = _account_id(email)
    object_type = "user" if account_id else ""
    audit_record(
        action="signin.failed", request=request, object_type=object_type, object_id=account_id or ""
    )
    if locked_now:
        audit_record(
            action="signin.locked",
            request=request,
            object_type=object_type,
            object_id=account_id or "",
        )


def signin_refused_while_locked_record(*, request: HttpRequest, email: str) -> None:
    """Audit an attempt refused because of a lockout (`signin.failed`, detail `locked`)."""
    account_id = _account_id(email)
    audit_record(
        action="signin.failed",
        request=request,
        object_type="user" if account_id else "",
        object_id=account_id or "",
        detail={"locked": True},
    )


def signin_success_record(*, request: HttpRequest, user: User) -> None:
    audit_record(
        action="signin.succeeded",
        request=request,
        actor=user,
        object_type="user",
        object_id=user.pk,
    )


def signout_record(*, request: HttpRequest, user: User) -> None:
    audit_record(
        action="signout", request=request, actor=user, object_type="user", object_id=user.pk
    )


# --- Password reset -----------------------------------------------------------------------------
def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Send a reset link to `email` if it is an active staff or client account of this practice
    with a password; otherwise do nothing visible. The same work is done either way (a token is
    made and the email rendered), so neither the answer nor its timing says whether the address
    exists. Audits `password.reset_requested` (the account by id when known, never the email)."""
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
        "practice_name": request_practice(request).name,
        "reset_url": portal_link(f"/reset-password/{raw}/", request=request),
        "expires_minutes": int(PASSWORD_RESET_LIFETIME.total_seconds() // 60),
    }
    with transaction.atomic():
        if user is None:
            render_to_string(_RESET_EMAIL_TEMPLATE, context)
            audit_record(action="password.reset_requested", request=request)
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
            action="password.reset_requested",
            request=request,
            object_type="user",
            object_id=user.pk,
        )


def password_reset_complete(*, request: HttpRequest, raw_token: str, password: str) -> User | None:
    """Set a new password with a reset link; None when the link is not (or no longer) valid.

    Single use: the token, and every other reset token of the account, is used up. Every session
    of the account is ended (including any the requester had). Audits `password.reset`.
    """
    with transaction.atomic():
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
            action="password.reset",
            request=request,
            actor=user,
            object_type="user",
            object_id=user.pk,
        )
        return user


# --- Profile ------------------------------------------------------------------------------------
def profile_update(
    *, request: HttpRequest, user: User, first_name: str, last_name: str, email: str
) -> User:
    """Change a staff member's own name and email (the caller checks the email is free).
    Audits `profile.updated` with the names of the changed fields."""
    changes = {"first_name": first_name, "last_name": last_name, "email": normalize_email(email)}
    changed = sorted(field for field, value in changes.items() if getattr(user, field) != value)
    if not changed:
        return user
    with transaction.atomic():
        for field in changed:
            setattr(user, field, changes[field])
        user.save(update_fields=changed)
        audit_record(
            action="profile.updated",
            request=request,
            object_type="user",
            object_id=user.pk,
            detail={"fields": changed},
        )
    return user


def password_change(*, request: HttpRequest, user: User, password: str) -> None:
    """Set a new password for the signed-in `user`, keep this session and end all the others.
    Outstanding reset links die with the old password hash. Audits `password.changed`."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
        account_sessions_end(user=user, keep_session_key=request.session.session_key)
        audit_record(
            action="password.changed", request=request, object_type="user", object_id=user.pk
        )


def other_sessions_end(*, request: HttpRequest, user: User) -> int:
    """Sign `user` out everywhere but here. Audits `sessions.ended` with the count."""
    with transaction.atomic():
        ended = account_sessions_end(user=user, keep_session_key=request.session.session_key)
        audit_record(
            action="sessions.ended",
            request=request,
            object_type="user",
            object_id=user.pk,
            detail={"count": ended},
        )
    return ended


# --- Staff team ---------------------------------------------------------------------------------
INVITABLE_ROLES = (StaffRole.CLINICIAN, StaffRole.ADMIN)


def _is_pending_invitation(user: User) -> bool:
    return user.is_practice_staff and user.is_active and not user.has_usable_password()


def staff_invite(*, request: HttpRequest, inviter: User, email: str, role: StaffRole) -> User:
    """Invite a clinician or admin by email: an account without a password and a 7-day, single-use
    link (`/staff/join/<token>/`) sent through the outbox. Inviting an address whose invitation is
    still open sends a new link and kills the old one. Audits `staff.invited`.

    Raises StaffInviteError when the role cannot be invited or the address already has an
    account at this practice.
    """
    if role not in INVITABLE_ROLES:
        raise StaffInviteError("Only clinicians and admins can be invited.")
    email = normalize_email(email)
    with transaction.atomic():
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
        practice_name = request_practice(request).name
        email_enqueue(
            kind="staff_invitation",
            to_email=member.email,
            subject=f"You are invited to {practice_name} on Portico",
            template_name=_INVITE_EMAIL_TEMPLATE,
            context={
                "inviter_first_name": inviter.first_name,
                "practice_name": practice_name,
                "role": StaffRole(role).label.lower(),
                "join_url": portal_link(f"/staff/join/{raw}/", request=request),
                "expires_days": STAFF_INVITATION_LIFETIME.days,
            },
            idempotency_key=f"staff-invitation:{token_sha256(raw)}",
        )
        audit_record(
            action="staff.invited",
            request=request,
            object_type="user",
            object_id=member.pk,
            detail={"role": str(role)},
        )
    return member


def staff_join(
    *, request: HttpRequest, raw_token: str, first_name: str, last_name: str, password: str
) -> User | None:
    """Accept a staff invitation: set the name and password (the email is confirmed by the link).
    None when the link is not valid. Audits `staff.joined`; the caller signs the person in."""
    with transaction.atomic():
        member = account_token_redeem(raw=raw_token, purpose=TokenPurpose.STAFF_INVITATION)
        if member is None or not _is_pending_invitation(member):
            return None
        member.first_name = first_name
        member.last_name = last_name
        member.email_confirmed_at = timezone.now()
        member.set_password(password)
        member.save(update_fields=["first_name", "last_name", "email_confirmed_at", "password"])
        audit_record(
            action="staff.joined",
            request=request,
            actor=member,
            object_type="user",
            object_id=member.pk,
        )
    return member


def staff_deactivate(*, request: HttpRequest, member: User) -> None:
    """Turn a clinician's or admin's account off: their sessions are deleted at once and their
    open links die. Owners cannot be deactivated here. Audits `staff.deactivated`.

    Raises StaffDeactivateError for an owner (including oneself).
    """
    if member.role == StaffRole.OWNER:
        raise StaffDeactivateError("An owner cannot be deactivated.")
    with transaction.atomic():
        member.is_active = False
        member.save(update_fields=["is_active"])
        AccountToken.objects.filter(user=member, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        account_sessions_end(user=member)
        audit_record(
            action="staff.deactivated", request=request, object_type="user", object_id=member.pk
        )
