"""Single-use account tokens: 32 random bytes in the link, SHA-256 in the database."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import AccountToken, TokenPurpose, User


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def account_token_issue(*, user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """Create a token for `user` and return the raw value (shown once, never stored)."""
    raw = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user,
        purpose=purpose,
        token_sha256=_digest(raw),
        expires_at=timezone.now() + lifetime,
    )
    return raw


def account_token_redeem(*, raw: str, purpose: TokenPurpose) -> User | None:
    """The active account the token belongs to, marking the token used; None if the token is
    unknown, of another purpose, expired, already used, or its account is disabled."""
    with transaction.atomic():
        token = (
            AccountToken.objects.select_for_update()
            .select_related("user")
            .filter(token_sha256=_digest(raw), purpose=purpose, used_at__isnull=True)
            .first()
        )
        if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
            return None
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        return token.user
