"""Staff API tokens for the practice API: issue, revoke, authenticate."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from shared_apps.accounts.models import User
from shared_apps.web.origin import RequestOrigin
from tenant_apps.accounts.models import StaffApiToken
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record

TOKEN_PREFIX = "ppt_"  # noqa: S105 — a label, not a secret


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, actor: User, origin: RequestOrigin | None = None, name: str) -> str:
    """Create a token for `actor` and return it (shown once, never stored). Audited."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = StaffApiToken.objects.create(user=actor, name=name, token_sha256=_digest(raw))
        audit_record(
            action=AuditAction.API_TOKEN_CREATED,
            actor=actor,
            origin=origin,
            object_type="api_token",
            object_id=token.pk,
        )
    return raw


def api_token_revoke(*, actor: User, origin: RequestOrigin | None = None, token_id: int) -> bool:
    """Revoke one of `actor`'s own tokens; False if there is no such active token."""
    with transaction.atomic(durable=True):
        revoked = StaffApiToken.objects.filter(
            pk=token_id, user=actor, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            audit_record(
                action=AuditAction.API_TOKEN_REVOKED,
                actor=actor,
                origin=origin,
                object_type="api_token",
                object_id=token_id,
            )
    return bool(revoked)


class StaffTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer ppt_…`, looked up by hash in the current practice's schema. Only
    active staff accounts; a revoked or unknown token is refused (401)."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, StaffApiToken] | None:
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            return None
        raw = parts[1].decode(errors="replace")
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = (
            StaffApiToken.objects.select_related("user")
            .filter(token_sha256=_digest(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active or not token.user.is_practice_staff:
            raise AuthenticationFailed("This API token is not valid.")
        StaffApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="practice API"'


class StaffTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds it by target class)."""

    target_class = StaffTokenAuthentication
    name = "staffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A staff API token from Your profile, API tokens (`ppt_…`).",
        }
