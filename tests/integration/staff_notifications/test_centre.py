"""The notification centre: the bell on every staff page, the list, opening and marking read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.staff_notifications.models import (
    StaffNotification,
    StaffNotificationKind,
    StaffNotificationPreferences,
)
from tenant_apps.staff_notifications.services import staff_notify
from tests.cast import Cast
from tests.support.clients import MakeClient

pytestmark = pytest.mark.django_db


def _notify(
    cast: Cast,
    kind: StaffNotificationKind,
    *,
    recipients: list[Any] | None = None,
    client: Client | None = None,
    link: str = "",
) -> StaffNotification:
    with cast.a.schema():
        return staff_notify(
            recipients=recipients or [cast.a.owner], kind=kind, client=client, link=link
        )[0]


def _read_at(cast: Cast, notification: StaffNotification) -> object:
    with cast.a.schema():
        return StaffNotification.objects.get(pk=notification.pk).read_at


def test_the_bell_and_its_count_are_on_every_staff_page_and_polled(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    page = owner.get("/staff/").content.decode()
    assert 'id="staff-bell"' in page
    assert 'hx-get="/staff/notifications/bell/"' in page
    assert 'hx-trigger="every 30s"' in page
    assert "bell-count" not in page
    assert "/static/web/vendor/htmx-2.0.11.min.js" in page
    _notify(cast, StaffNotificationKind.FORM_SIGNED)
    _notify(cast, StaffNotificationKind.CLIENT_UPLOAD)
    for path in ("/staff/", "/staff/clients/", "/staff/profile/", "/staff/notifications/"):
        assert '<span class="bell-count">2<span class="visually-hidden"> unread</span></span>' in (
            owner.get(path).content.decode()
        ), path
    fragment = owner.get("/staff/notifications/bell/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<span id="staff-bell"')
    assert '<span class="bell-count">2<' in fragment


def test_clients_get_no_bell(cast: Cast) -> None:
    page = cast.a.signed_in(cast.a.client_user).get("/").content.decode()
    assert "staff-bell" not in page
    assert cast.a.signed_in(cast.a.client_user).get("/staff/notifications/bell/").status_code == 403


def test_the_list_shows_ones_own_newest_first_with_texts(
    cast: Cast, assigned: Client, unassigned: Client
) -> None:
    assert cast.a.clinician is not None
    _notify(
        cast,
        StaffNotificationKind.ONBOARDING_COMPLETED,
        client=assigned,
        recipients=[cast.a.owner, cast.a.clinician],
    )
    _notify(
        cast,
        StaffNotificationKind.FORM_SIGNED,
        client=unassigned,
        recipients=[cast.a.owner, cast.a.clinician],
    )
    _notify(cast, StaffNotificationKind.BOOKING_REQUEST)
    owner_page = cast.a.signed_in(cast.a.owner).get("/staff/notifications/").content.decode()
    texts = [
        "New booking request",
        "Uma Unassigned signed a form",
        "Avery Assigned completed onboarding",
    ]
    positions = [owner_page.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "3 unread." in owner_page
    clinician_page = (
        cast.a.signed_in(cast.a.clinician).get("/staff/notifications/").content.decode()
    )
    assert "Avery Assigned completed onboarding" in clinician_page
    assert "A client signed a form" in clinician_page  # no longer (or never) theirs: no name
    assert "Uma" not in clinician_page
    assert "booking" not in clinician_page.lower().replace("booking requests", "")
    with cast.a.schema():
        entry = (
            AuditEntry.objects.filter(action="staff_notifications.listed").order_by("-pk").first()
        )
        assert entry is not None
        assert entry.actor_id == cast.a.clinician.pk
        assert entry.detail == {"page": 1, "shown": 2}


def test_empty_state(cast: Cast) -> None:
    page = cast.a.signed_in(cast.a.owner).get("/staff/notifications/").content.decode()
    assert "No notifications yet." in page
    assert "Nothing unread." in page
    assert "Mark all as read" not in page


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    cast: Cast, make_client: MakeClient
) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    clients = [make_client(first_name=f"P{i}", last_name="Paged") for i in range(3)]
    for client in clients:
        _notify(cast, StaffNotificationKind.FORM_COMPLETED, client=client)
    owner.get("/staff/")  # the session's first request stamps it (a write); measure after
    with CaptureQueriesContext(connection) as few:
        owner.get("/staff/notifications/")
    for i in range(27):
        _notify(cast, StaffNotificationKind.FORM_COMPLETED, client=clients[i % 3])
    with CaptureQueriesContext(connection) as many:
        first = owner.get("/staff/notifications/").content.decode()
    assert len(many) == len(few)
    assert first.count('<li class="card notification') == 25
    assert 'href="?page=2"' in first
    second = owner.get("/staff/notifications/?page=2").content.decode()
    assert second.count('<li class="card notification') == 5


def test_a_kind_filter_shows_only_that_kind(cast: Cast) -> None:
    _notify(cast, StaffNotificationKind.FORM_SIGNED)
    _notify(cast, StaffNotificationKind.CLIENT_UPLOAD)
    page = (
        cast.a.signed_in(cast.a.owner)
        .get("/staff/notifications/?kind=client_upload")
        .content.decode()
    )
    assert "A client uploaded a file" in page
    assert "signed a form" not in page
    assert "Showing: Client upload." in page
    assert (
        "signed a form"
        in cast.a.signed_in(cast.a.owner).get("/staff/notifications/?kind=bogus").content.decode()
    )


def test_opening_marks_read_and_goes_to_the_link(cast: Cast, assigned: Client) -> None:
    notification = _notify(
        cast,
        StaffNotificationKind.FORM_SIGNED,
        client=assigned,
        link=f"/staff/clients/{assigned.pk}/",
    )
    response = cast.a.signed_in(cast.a.owner).get(f"/staff/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/clients/{assigned.pk}/"
    assert _read_at(cast, notification) is not None


@pytest.mark.parametrize(
    "link",
    [
        "",
        "https://evil.example/staff/",
        "//evil.example/staff/",
        "/staff\\@evil.example",
        "/",
        "/sign-in/?next=/staff/",
        "javascript:alert(1)",
    ],
)
def test_a_link_outside_the_staff_side_goes_to_the_list(cast: Cast, link: str) -> None:
    notification = _notify(cast, StaffNotificationKind.FORM_SIGNED, link=link)
    response = cast.a.signed_in(cast.a.owner).get(f"/staff/notifications/{notification.pk}/")
    assert response["Location"] == "/staff/notifications/"
    assert _read_at(cast, notification) is not None


def test_mark_one_and_mark_all_read(cast: Cast) -> None:
    assert cast.a.clinician is not None
    first = _notify(cast, StaffNotificationKind.FORM_SIGNED)
    second = _notify(cast, StaffNotificationKind.CLIENT_UPLOAD)
    colleagues = _notify(cast, StaffNotificationKind.CLIENT_UPLOAD, recipients=[cast.a.clinician])
    owner = cast.a.signed_in(cast.a.owner)
    response = owner.post(f"/staff/notifications/{first.pk}/read/", {"page": "1"})
    assert response["Location"] == "/staff/notifications/?page=1"
    assert _read_at(cast, first) is not None
    assert _read_at(cast, second) is None
    first_read_at = _read_at(cast, first)
    assert owner.post("/staff/notifications/read-all/").status_code == 302
    assert _read_at(cast, second) is not None
    assert _read_at(cast, first) == first_read_at  # marking again changes nothing
    assert _read_at(cast, colleagues) is None
    assert "bell-count" not in owner.get("/staff/notifications/bell/").content.decode()


def test_the_digest_can_be_turned_off_and_on(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    assert (
        "checked"
        in owner.get("/staff/notifications/").content.decode().split("daily_digest_email")[1][:20]
    )
    owner.post("/staff/notifications/digest/", {})
    with cast.a.schema():
        assert (
            StaffNotificationPreferences.objects.get(user=cast.a.owner).daily_digest_email is False
        )
        assert AuditEntry.objects.filter(action="staff_notifications.digest_changed").count() == 1
    assert "The daily digest email is off." in owner.get("/staff/notifications/").content.decode()
    owner.post("/staff/notifications/digest/", {"daily_digest_email": "on"})
    with cast.a.schema():
        assert (
            StaffNotificationPreferences.objects.get(user=cast.a.owner).daily_digest_email is True
        )
