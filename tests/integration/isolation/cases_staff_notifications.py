"""Isolation cases for the notification centre: B's staff get 404 on A's notifications, A's other
staff cannot see, open or mark someone else's, and nothing changes when they try."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client as HttpClient

from tenant_apps.staff_notifications.models import (
    StaffNotification,
    StaffNotificationKind,
    StaffNotificationPreferences,
)
from tenant_apps.staff_notifications.services import staff_notify
from tests.cast import Cast
from tests.support.isolation import client_of_a, cookie_carried

CANARY_NAME = "Zephyrine"


def _a_notification(cast: Cast) -> int:
    """One unread notification for A's owner about a client of A."""
    client = client_of_a(cast, (CANARY_NAME, "Isolated"))
    with cast.a.schema():
        (notification,) = staff_notify(
            recipients=[cast.a.owner],
            kind=StaffNotificationKind.FORM_SIGNED,
            client=client,
            link=f"/staff/clients/{client.pk}/",
        )
        return notification.pk


def _read_ats(cast: Cast) -> list[object]:
    with cast.a.schema():
        return list(StaffNotification.objects.order_by("pk").values_list("read_at", flat=True))


def _a_owner_cookie_on_b(cast: Cast) -> HttpClient:
    return cookie_carried(cast.a.signed_in(cast.a.owner), cast.b)


def _a_clinician(cast: Cast) -> HttpClient:
    assert cast.a.clinician is not None
    return cast.a.signed_in(cast.a.clinician)


def notification_list(cast: Cast) -> None:
    _a_notification(cast)
    before = _read_ats(cast)
    response = _a_owner_cookie_on_b(cast).get("/staff/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    own = cast.b.signed_in(cast.b.owner).get("/staff/notifications/")
    assert own.status_code == 200
    assert CANARY_NAME.encode() not in own.content
    assert b"No notifications yet." in own.content
    colleague = _a_clinician(cast).get("/staff/notifications/")
    assert colleague.status_code == 200
    assert CANARY_NAME.encode() not in colleague.content
    assert _read_ats(cast) == before


def notification_bell(cast: Cast) -> None:
    _a_notification(cast)
    response = _a_owner_cookie_on_b(cast).get("/staff/notifications/bell/", HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/sign-in/"
    own = cast.b.signed_in(cast.b.owner).get("/staff/notifications/bell/")
    assert own.status_code == 200
    assert b"bell-count" not in own.content
    assert b"bell-count" not in _a_clinician(cast).get("/staff/notifications/bell/").content
    mine = cast.a.signed_in(cast.a.owner).get("/staff/notifications/bell/")
    assert b'<span class="bell-count">1<' in mine.content


def notification_open(cast: Cast) -> None:
    notification_id = _a_notification(cast)
    before = _read_ats(cast)
    path = f"/staff/notifications/{notification_id}/"
    assert cast.b.signed_in(cast.b.owner).get(path).status_code == 404
    assert _a_owner_cookie_on_b(cast).get(path).status_code == 302  # sign-in
    assert _a_clinician(cast).get(path).status_code == 404
    assert _read_ats(cast) == before == [None]


def notification_mark_read(cast: Cast) -> None:
    notification_id = _a_notification(cast)
    path = f"/staff/notifications/{notification_id}/read/"
    assert cast.b.signed_in(cast.b.owner).post(path).status_code == 404
    assert _a_clinician(cast).post(path).status_code == 404
    assert _read_ats(cast) == [None]


def notification_mark_all_read(cast: Cast) -> None:
    _a_notification(cast)
    assert cast.b.signed_in(cast.b.owner).post("/staff/notifications/read-all/").status_code == 302
    assert _a_clinician(cast).post("/staff/notifications/read-all/").status_code == 302
    assert _a_owner_cookie_on_b(cast).post("/staff/notifications/read-all/").status_code == 302
    assert _read_ats(cast) == [None]


def digest_preference(cast: Cast) -> None:
    response = _a_owner_cookie_on_b(cast).post("/staff/notifications/digest/", {})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    for practice in (cast.a, cast.b):
        with practice.schema():
            assert not StaffNotificationPreferences.objects.exists()
    assert (
        cast.b.signed_in(cast.b.owner).post("/staff/notifications/digest/", {}).status_code == 302
    )
    with cast.a.schema():
        assert not StaffNotificationPreferences.objects.exists()
    with cast.b.schema():
        assert list(
            StaffNotificationPreferences.objects.values_list("user_id", "daily_digest_email")
        ) == [(cast.b.owner.pk, False)]


CASES: dict[str, Callable[[Cast], None]] = {
    "staff_notifications:list": notification_list,
    "staff_notifications:bell": notification_bell,
    "staff_notifications:open": notification_open,
    "staff_notifications:mark-read": notification_mark_read,
    "staff_notifications:mark-all-read": notification_mark_all_read,
    "staff_notifications:digest": digest_preference,
}
