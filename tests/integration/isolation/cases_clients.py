"""Isolation cases for the clients area: practice B's people never reach practice A's clients.

For each route, with a client of A in place: B's owner and B's client, on B's host, ask for A's
client by its id (404 for staff, 403 for a client, who has no staff page at all) and, with their
cookie, on A's host (where their session does not exist: sent to sign-in, or 403 from the API).
Afterwards A's clients, A's audit log and B's clients are exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tests.cast import Cast
from tests.support.isolation import (
    anonymous_status,
    b_people_send,
    client_of_a,
    sender,
)

_NAME = ("Imogen", "Isolated")
_EMAIL = "imogen.isolated@example.org"


def _client_of_a(cast: Cast) -> Client:
    return client_of_a(cast, _NAME, _EMAIL)


def _state(cast: Cast) -> tuple[object, ...]:
    with cast.a.schema():
        a_clients = list(Client.objects.order_by("pk").values())
        a_audit = AuditEntry.objects.count()
    with cast.b.schema():
        b_clients = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    return a_clients, a_audit, b_clients


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
        b_people_send(
            cast,
            sender(method, target, data, is_api=is_api),
            b_staff=b_staff_status,
            b_client=403,
            cookie_on_a=anonymous_status(is_api=is_api),
            nothing_of_a=_assert_nothing_of_a,
            unchanged=lambda: _state(cast),
            context=target,
        )

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
    with cast.a.schema():
        pk = Client.objects.get(email=_EMAIL).pk
    api = cast.b.signed_in(cast.b.owner)
    response = api.get(f"/api/v1/clients/{pk}/")
    assert response.status_code == 404
    assert response.json() == api.get("/api/v1/clients/999999999/").json()
    _assert_nothing_of_a(response.content, cast)


CASES["clients-api:client"] = _api_client
