"""Isolation cases for the clients area: practice B's people never reach practice A's clients.

For each route, with a client of A in place: B's owner and B's client, on B's host, ask for A's
client by its id (404 for staff, 403 for a client, who has no staff page at all) and, with their
cookie, on A's host (where their session does not exist: sent to sign-in, or 403 from the API).
Afterwards A's clients, A's audit log and B's clients are exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.test import Client as Browser
from django_tenants.utils import schema_context

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tests.cast import Cast

_NAME = ("Imogen", "Isolated")
_EMAIL = "imogen.isolated@example.org"


def _client_of_a(cast: Cast) -> Client:
    with schema_context(cast.a.practice.schema_name):
        return client_create(
            actor=cast.a.owner,
            data=ClientData(first_name=_NAME[0], last_name=_NAME[1], email=_EMAIL),
        )


def _state(cast: Cast) -> tuple[object, ...]:
    with schema_context(cast.a.practice.schema_name):
        a_clients = list(Client.objects.order_by("pk").values())
        a_audit = AuditEntry.objects.count()
    with schema_context(cast.b.practice.schema_name):
        b_clients = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    return a_clients, a_audit, b_clients


def b_cookie_on_a(cast: Cast, who: str) -> Browser:
    """A's host receiving the session cookie of B's `who` (that session exists only on B)."""
    on_b = cast.b.signed_in(getattr(cast.b, who))
    on_a = cast.a.http()
    on_a.cookies[settings.SESSION_COOKIE_NAME] = on_b.cookies[settings.SESSION_COOKIE_NAME].value
    return on_a


def _assert_nothing_of_a(content: bytes, cast: Cast) -> None:
    for secret in (*_NAME, _EMAIL, cast.a.practice.name, cast.a.owner.email):
        assert secret.encode() not in content, secret


def _case(
    method: str,
    path: str,
    *,
    b_staff_status: int,
    is_api: bool = False,
    data: dict[str, Any] | None = None,
) -> Callable[[Cast], None]:
    """`path` may hold `{pk}`, replaced by the id of A's client."""

    def case(cast: Cast) -> None:
        target = path.format(pk=_client_of_a(cast).pk)
        before = _state(cast)
        kwargs: dict[str, Any] = {"content_type": "application/json"} if is_api else {}

        def send(browser: Browser) -> Any:
            return getattr(browser, method)(target, data or {}, **kwargs)

        staff_on_b = send(cast.b.signed_in(cast.b.owner))
        assert staff_on_b.status_code == b_staff_status, (target, staff_on_b.status_code)
        client_on_b = send(cast.b.signed_in(cast.b.client_user))
        assert client_on_b.status_code == 403
        for who in ("owner", "client_user"):
            on_a = send(b_cookie_on_a(cast, who))
            if is_api:
                assert on_a.status_code == 403
            else:
                assert on_a.status_code == 302
                assert on_a["Location"].startswith("/sign-in/")
            _assert_nothing_of_a(on_a.content, cast)
        for response in (staff_on_b, client_on_b):
            _assert_nothing_of_a(response.content, cast)
        assert _state(cast) == before

    return case


_EDIT = {"first_name": "Changed", "last_name": "ByB", "email": "b@example.org"}

CASES: dict[str, Callable[[Cast], None]] = {
    "clients:list": _case("get", "/staff/clients/", b_staff_status=200),
    "clients:create": _case("get", "/staff/clients/new/", b_staff_status=200),
    "clients:detail": _case("get", "/staff/clients/{pk}/", b_staff_status=404),
    "clients:edit": _case("post", "/staff/clients/{pk}/edit/", b_staff_status=404, data=_EDIT),
    "clients:archive": _case("post", "/staff/clients/{pk}/archive/", b_staff_status=404),
    "clients:unarchive": _case("post", "/staff/clients/{pk}/unarchive/", b_staff_status=404),
    "clients:import": _case("get", "/staff/clients/import/", b_staff_status=200),
    # B has no upload in its session: sent back to the upload step, nothing imported.
    "clients:import-mapping": _case(
        "post", "/staff/clients/import/mapping/", b_staff_status=302, data={"action": "import"}
    ),
    "clients:import-done": _case("get", "/staff/clients/import/done/", b_staff_status=200),
    "clients-api:clients": _case("get", "/api/v1/clients/", b_staff_status=200, is_api=True),
    "clients-api:client": _case(
        "patch", "/api/v1/clients/{pk}/", b_staff_status=404, is_api=True, data=_EDIT
    ),
}


_api_client_patch = CASES["clients-api:client"]


def _api_client(cast: Cast) -> None:
    """PATCH as above, then GET of A's client from B: 404 with the body of a missing id."""
    _api_client_patch(cast)
    with schema_context(cast.a.practice.schema_name):
        pk = Client.objects.get(email=_EMAIL).pk
    api = cast.b.signed_in(cast.b.owner)
    response = api.get(f"/api/v1/clients/{pk}/")
    assert response.status_code == 404
    assert response.json() == api.get("/api/v1/clients/999999999/").json()
    _assert_nothing_of_a(response.content, cast)


CASES["clients-api:client"] = _api_client
