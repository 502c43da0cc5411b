"""Staff pages for clients: who may open what, what they see, what is audited."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.clients.services import ClientData, client_import
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.hostile_input import TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db


def _snapshot(cast: Cast) -> list[tuple[object, ...]]:
    with cast.a.schema():
        return list(
            Client.objects.order_by("pk").values_list(
                "pk", "first_name", "email", "clinician_id", "is_archived"
            )
        )


def _audit_actions(cast: Cast) -> list[str]:
    with cast.a.schema():
        return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- Who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/staff/clients/"),
        ("get", "/staff/clients/new/"),
        ("get", "/staff/clients/{pk}/"),
        ("get", "/staff/clients/{pk}/edit/"),
        ("post", "/staff/clients/{pk}/archive/"),
        ("post", "/staff/clients/{pk}/unarchive/"),
        ("get", "/staff/clients/import/"),
        ("get", "/staff/clients/import/mapping/"),
        ("get", "/staff/clients/import/done/"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in_and_clients_are_refused(
    cast: Cast, unassigned: Client, method: str, path: str
) -> None:
    path = path.format(pk=unassigned.pk)
    before = _snapshot(cast)
    anonymous = getattr(cast.a.http(), method)(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/?next=")
    refused = getattr(cast.a.signed_in(cast.a.client_user), method)(path)
    assert refused.status_code == 403
    assert b"Unassigned" not in refused.content
    assert _snapshot(cast) == before
    assert _audit_actions(cast) == ["client.created"]


def test_owner_and_admin_see_every_client(
    cast: Cast, admin_a: User, assigned: Client, unassigned: Client
) -> None:
    for user in (cast.a.owner, admin_a):
        browser = cast.a.signed_in(user)
        listed = browser.get("/staff/clients/")
        assert listed.status_code == 200
        assert [c.pk for c in listed.context["clients"]] == [assigned.pk, unassigned.pk]
        detail = browser.get(f"/staff/clients/{unassigned.pk}/")
        assert detail.status_code == 200
        assert b"uma@example.org" in detail.content


def test_a_clinician_sees_only_their_own_clients(
    cast: Cast, assigned: Client, unassigned: Client
) -> None:
    assert cast.a.clinician is not None
    browser = cast.a.signed_in(cast.a.clinician)
    listed = browser.get("/staff/clients/")
    assert [c.pk for c in listed.context["clients"]] == [assigned.pk]
    assert b"Unassigned" not in listed.content
    assert browser.get(f"/staff/clients/{assigned.pk}/").status_code == 200
    before = _snapshot(cast)
    for method, path in [
        ("get", f"/staff/clients/{unassigned.pk}/"),
        ("get", f"/staff/clients/{unassigned.pk}/edit/"),
        ("post", f"/staff/clients/{unassigned.pk}/edit/"),
        ("post", f"/staff/clients/{unassigned.pk}/archive/"),
        ("get", "/staff/clients/999999999/"),
    ]:
        response = getattr(browser, method)(path, {"first_name": "X", "last_name": "Y"})
        assert response.status_code == 404, path
        assert b"Unassigned" not in response.content
    assert _snapshot(cast) == before
    for path in ("/staff/clients/import/", "/staff/clients/import/mapping/"):
        assert browser.get(path).status_code == 403


# --- What the pages do -------------------------------------------------------------------------


def test_detail_is_audited_as_viewed_without_phi(cast: Cast, unassigned: Client) -> None:
    cast.a.signed_in(cast.a.owner).get(
        f"/staff/clients/{unassigned.pk}/", REMOTE_ADDR="203.0.113.5"
    )
    with cast.a.schema():
        entry = AuditEntry.objects.get(action="client.viewed")
    assert (entry.actor_id, entry.object_id, entry.ip) == (
        cast.a.owner.pk,
        str(unassigned.pk),
        "203.0.113.5",
    )
    assert entry.detail == {}


def test_owner_adds_a_client_assigned_to_a_clinician(cast: Cast) -> None:
    assert cast.a.clinician is not None
    response = cast.a.signed_in(cast.a.owner).post(
        "/staff/clients/new/",
        {
            "first_name": "Noor",
            "last_name": "Newclient",
            "email": "Noor@Example.org",
            "date_of_birth": "1985-02-03",
            "clinician": cast.a.clinician.pk,
        },
    )
    with cast.a.schema():
        client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/clients/{client.pk}/"
    assert (client.email, client.clinician_id) == ("noor@example.org", cast.a.clinician.pk)
    assert _audit_actions(cast) == ["client.created"]


def test_a_clinicians_new_client_is_theirs(cast: Cast) -> None:
    assert cast.a.clinician is not None
    browser = cast.a.signed_in(cast.a.clinician)
    assert b'name="clinician"' not in browser.get("/staff/clients/new/").content
    browser.post("/staff/clients/new/", {"first_name": "Cal", "last_name": "Mine"})
    with cast.a.schema():
        assert Client.objects.get().clinician_id == cast.a.clinician.pk


def test_a_duplicate_email_is_explained_on_the_form(cast: Cast, unassigned: Client) -> None:
    before = _snapshot(cast)
    response = cast.a.signed_in(cast.a.owner).post(
        "/staff/clients/new/",
        {"first_name": "Someone", "last_name": "Else", "email": "UMA@example.org"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A client with this email already exists: uma@example.org"
    ]
    assert b"Unassigned" not in response.content
    assert _snapshot(cast) == before


def test_an_email_longer_than_the_column_is_explained_on_the_form(
    cast: Cast, assigned: Client
) -> None:
    before = _snapshot(cast)
    browser = cast.a.signed_in(cast.a.owner)
    for path in ("/staff/clients/new/", f"/staff/clients/{assigned.pk}/edit/"):
        response = browser.post(
            path, {"first_name": "Lo", "last_name": "Ng", "email": TOO_LONG_EMAIL}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["email"] == [
            "Ensure this value has at most 254 characters (it has 264)."
        ]
    assert _snapshot(cast) == before


def test_edit_then_archive_and_restore(cast: Cast, assigned: Client) -> None:
    assert cast.a.clinician is not None
    browser = cast.a.signed_in(cast.a.clinician)
    edit = browser.get(f"/staff/clients/{assigned.pk}/edit/")
    assert edit.context["form"].initial["email"] == "avery@example.org"
    saved = browser.post(
        f"/staff/clients/{assigned.pk}/edit/",
        {"first_name": "Avery", "last_name": "Renamed", "email": "avery@example.org"},
    )
    assert saved.status_code == 302
    assert browser.get(f"/staff/clients/{assigned.pk}/archive/").status_code == 405
    assert browser.post(f"/staff/clients/{assigned.pk}/archive/").status_code == 302
    assert browser.get("/staff/clients/").context["clients"] == []
    assert [c.pk for c in browser.get("/staff/clients/?archived=on").context["clients"]] == [
        assigned.pk
    ]
    assert browser.post(f"/staff/clients/{assigned.pk}/unarchive/").status_code == 302
    with cast.a.schema():
        client = Client.objects.get(pk=assigned.pk)
    assert (client.last_name, client.is_archived, client.clinician_id) == (
        "Renamed",
        False,
        cast.a.clinician.pk,
    )
    assert _audit_actions(cast)[1:] == [
        "client.viewed",
        "client.updated",
        "client.archived",
        "client.listed",
        "client.listed",
        "client.unarchived",
    ]


def test_empty_state_search_and_pagination(cast: Cast, make_client: MakeClient) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    assert b"No clients yet." in browser.get("/staff/clients/").content
    with cast.a.schema():
        client_import(
            actor=cast.a.owner,
            rows=[ClientData(first_name=f"P{n:02}", last_name="Paged") for n in range(30)],
        )
    make_client(first_name="Zed", last_name="Findme", email="zed@example.org")
    first = browser.get("/staff/clients/")
    assert len(first.context["clients"]) == 25
    assert b"31 clients, page 1 of 2" in first.content
    assert b'href="?page=2"' in first.content
    assert len(browser.get("/staff/clients/?page=2").context["clients"]) == 6
    found = browser.get("/staff/clients/?q=findme")
    assert [c.last_name for c in found.context["clients"]] == ["Findme"]
    none = browser.get("/staff/clients/?q=nobody-by-that-name")
    assert b"No client matches" in none.content
    invited = browser.get("/staff/clients/?portal_status=invited")
    assert invited.context["clients"] == []


def test_the_list_costs_the_same_queries_with_1000_clients_as_with_10(cast: Cast) -> None:
    assert cast.a.clinician is not None

    def add(count: int) -> None:
        with cast.a.schema():
            client_import(
                actor=cast.a.owner,
                rows=[
                    ClientData(first_name=f"C{n}", last_name="Many", clinician=cast.a.clinician)
                    for n in range(count)
                ],
            )

    browser = cast.a.signed_in(cast.a.owner)
    browser.get("/staff/clients/")  # warm the host lookup cache
    add(10)
    with CaptureQueriesContext(connection) as with_10:
        assert browser.get("/staff/clients/").status_code == 200
    add(990)
    with CaptureQueriesContext(connection) as with_1000:
        page = browser.get("/staff/clients/")
    assert len(page.context["clients"]) == 25
    assert b"Cleo" in page.content  # the clinician's name comes from the join
    assert len(with_1000) == len(with_10)


def test_a_client_of_a_departed_clinician_can_still_be_edited(cast: Cast, assigned: Client) -> None:
    assert cast.a.clinician is not None
    with cast.a.schema():
        User.objects.filter(pk=cast.a.clinician.pk).update(is_active=False)
    saved = cast.a.signed_in(cast.a.owner).post(
        f"/staff/clients/{assigned.pk}/edit/",
        {
            "first_name": "Avery",
            "last_name": "Assigned",
            "phone": "555-0199",
            "email": "avery@example.org",
            "clinician": cast.a.clinician.pk,
        },
    )
    assert saved.status_code == 302
    with cast.a.schema():
        client = Client.objects.get(pk=assigned.pk)
    assert (client.phone, client.clinician_id) == ("555-0199", cast.a.clinician.pk)
