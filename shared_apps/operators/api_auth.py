"""Authentication and permission for the platform API, and the base view that fails closed.

A caller sends `Authorization: Bearer <token>`; the token's SHA-256 is looked up among live
tokens of active operators. Session cookies are never accepted here: a browser signed in to the
console (or to a practice) has no standing on the API.
"""

from __future__ import annotations

from typing import Any

from django_tenants.utils import get_public_schema_name
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from shared_apps.accounts.models import User
from shared_apps.operators.models import OperatorApiToken
from shared_apps.operators.selectors import operator_api_token_live
from shared_apps.operators.services import operator_api_token_touch
from shared_apps.tenancy.db import current_schema_name
from shared_apps.web.api import FailClosedApiView

_KEYWORD = b"bearer"


class OperatorTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pto_…` → (operator, token row). A wrong, revoked or inactive
    operator's token is a 401, never a fall-through to another authenticator."""

    def authenticate(self, request: Request) -> tuple[User, OperatorApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != _KEYWORD:
            return None
        # Operator tokens live in `public`; a practice's search_path would still find the table.
        if current_schema_name() != get_public_schema_name():
            raise AuthenticationFailed("Operator tokens are only accepted on the platform host.")
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as `Authorization: Bearer <token>`.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("The token is not valid.") from error
        token = operator_api_token_live(raw)
        if token is None or not token.operator.is_active:
            raise AuthenticationFailed("The token is not valid or has been revoked.")
        operator_api_token_touch(token=token)
        return token.operator, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="platform"'


class IsPlatformOperator(BasePermission):
    """An active operator, authenticated by one of their API tokens."""

    message = "Only platform operators may use this API."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_authenticated
            and user.is_operator
            and user.is_active
            and isinstance(request.auth, OperatorApiToken)
            and request.auth.operator_id == user.pk
        )


class PlatformApiView(FailClosedApiView, base=True):
    """Base of every platform API view. Fails closed: operator token authentication and the
    operator permission are fixed here, and a subclass that tries to set or override them is
    refused when it is defined (shared_apps/web/api.py). Extra checks go in
    `extra_permission_classes` and can only narrow access."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        return [OperatorTokenAuthentication()]

    def get_permissions(self) -> list[BasePermission]:
        return [IsPlatformOperator(), *self.extra_permissions()]


class OperatorTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds it by target class)."""

    target_class = OperatorTokenAuthentication
    name = "operatorToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An operator API token from `manage.py create_operator_token`.",
        }
