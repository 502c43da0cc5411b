"""Reads of operator accounts and credentials (public schema)."""

from __future__ import annotations

import hashlib

from shared_apps.accounts.models import User, UserKind, normalize_email
from shared_apps.operators.models import OperatorApiToken

API_TOKEN_PREFIX = "pto_"  # noqa: S105  (a marker that makes leaked tokens greppable)


def api_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def operator_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email(email), kind=UserKind.OPERATOR).first()


def operator_api_token_live(token: str) -> OperatorApiToken | None:
    """The live (not revoked) token row whose hash matches `token`, with its operator, or None.
    The caller still checks that the operator is an active operator."""
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    return (
        OperatorApiToken.objects.select_related("operator")
        .filter(token_sha256=api_token_digest(token), revoked_at__isnull=True)
        .first()
    )
