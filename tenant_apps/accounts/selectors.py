"""Reads for account pages: staff lists, and the account a link points to (without using it)."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from shared_apps.accounts.models import AccountToken, StaffRole, TokenPurpose, User, UserKind
from tenant_apps.accounts.models import StaffApiToken
from tenant_apps.accounts.passwords import password_digest


def token_sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def staff_list() -> QuerySet[User]:
    """Every staff account of the current practice, active first, then by name."""
    return User.objects.filter(kind=UserKind.STAFF).order_by(
        "-is_active", "first_name", "last_name", "pk"
    )


def staff_is_deactivatable(member: User) -> bool:
    """Whether `member` can still be deactivated: an active account that is not an owner's."""
    return member.is_active and member.role != StaffRole.OWNER


def access_staff_member(*, member_id: int) -> User:
    """A staff account of the current practice; 404 for a missing id and for any other kind of
    account alike."""
    member = User.objects.filter(pk=member_id, kind=UserKind.STAFF).first()
    if member is None:
        raise Http404
    return member


def usable_token(
    *, raw: str, purpose: TokenPurpose, for_update: bool = False
) -> AccountToken | None:
    """The unused, unexpired token of `purpose` for an active account, or None. A password reset
    token is also None once the account's password has changed since it was issued."""
    tokens = AccountToken.objects.select_related("user").filter(
        token_sha256=token_sha256(raw), purpose=purpose, used_at__isnull=True
    )
    if for_update:
        tokens = tokens.select_for_update()
    token = tokens.first()
    if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    if purpose == TokenPurpose.PASSWORD_RESET and token.password_digest != password_digest(
        token.user
    ):
        return None
    return token


def staff_api_tokens(*, user: User) -> QuerySet[StaffApiToken]:
    """`user`'s own API tokens, newest first (hashes only: the raw tokens were shown once)."""
    return StaffApiToken.objects.filter(user=user).order_by("-created_at")
