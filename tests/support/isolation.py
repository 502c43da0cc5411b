"""What the isolation cases share: a session cookie carried to the other practice's host, and one
request sent as each of practice B's people (on B's host, and with their cookies on A's host).

Each `cases_<area>.py` keeps its own objects of A, its own state snapshot and its own list of A's
secrets; these helpers only send and check statuses, so every area asserts the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.test import Client as Browser

from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_create
from tests.cast import Cast, PracticeCast

#: Sends the case's request (method, path, data) from the given browser.
Send = Callable[[Browser], Any]


def client_of_a(cast: Cast, name: tuple[str, str], email: str = "") -> Client:
    """A client of practice A, added by A's owner (its name and email are the case's canaries)."""
    with cast.a.schema():
        return client_create(
            actor=cast.a.owner, data=ClientData(first_name=name[0], last_name=name[1], email=email)
        )


def cookie_carried(browser: Browser, to: PracticeCast) -> Browser:
    """A fresh browser on `to`'s host holding `browser`'s session cookie (a session that exists
    only in the practice whose host made it)."""
    carried = to.http()
    carried.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    return carried


def b_cookie_on_a(cast: Cast, who: str) -> Browser:
    """A's host receiving the session cookie of B's `who` (that session exists only on B)."""
    return cookie_carried(cast.b.signed_in(getattr(cast.b, who)), cast.a)


def assert_anonymous(response: Any, expected: int, *context: object) -> None:
    """A carried cookie names no session on this host, so the request was anonymous: status
    `expected`, and a 302 sends the browser to sign-in."""
    assert response.status_code == expected, (*context, response.status_code)
    if expected == 302:
        assert response["Location"].startswith("/sign-in/"), (*context, response["Location"])


def sender(method: str, path: str, data: Any = None, *, is_api: bool = False) -> Send:
    """What sends `method` to `path` with `data` (JSON for the API)."""
    kwargs: dict[str, Any] = {"content_type": "application/json"} if is_api else {}
    return lambda browser: getattr(browser, method)(path, data or {}, **kwargs)


def anonymous_status(*, is_api: bool) -> int:
    """What a request without a session gets: 403 from the API, sign-in (302) for a page."""
    return 403 if is_api else 302


def b_people_send(
    cast: Cast,
    send: Send,
    *,
    b_staff: int | None,
    b_client: int,
    cookie_on_a: int,
    nothing_of_a: Callable[[bytes, Cast], None],
    unchanged: Callable[[], object] | None = None,
    context: object = None,
) -> list[Any]:
    """Send the request as B's owner (unless `b_staff` is None: it would legitimately change B's
    own data) and as B's client on B's host, then with each one's session cookie on A's host.

    Asserts the statuses (`b_staff`, `b_client`, and `cookie_on_a` for both carried cookies, where
    a 302 must lead to sign-in), that no response holds anything of A (`nothing_of_a`) and, given
    `unchanged` (a snapshot of the data), that the snapshot is the same afterwards. Returns the
    responses, those on B's host first, for checks of the caller's own.
    """
    before = unchanged() if unchanged is not None else None
    responses: list[Any] = []
    if b_staff is not None:
        staff_on_b = send(cast.b.signed_in(cast.b.owner))
        assert staff_on_b.status_code == b_staff, (context, "B's owner", staff_on_b.status_code)
        responses.append(staff_on_b)
    client_on_b = send(cast.b.signed_in(cast.b.client_user))
    assert client_on_b.status_code == b_client, (context, "B's client", client_on_b.status_code)
    responses.append(client_on_b)
    for who in ("owner", "client_user"):
        on_a = send(b_cookie_on_a(cast, who))
        assert_anonymous(on_a, cookie_on_a, context, f"B's {who} cookie on A")
        responses.append(on_a)
    for response in responses:
        nothing_of_a(response.content, cast)
    if unchanged is not None:
        assert unchanged() == before
    return responses
