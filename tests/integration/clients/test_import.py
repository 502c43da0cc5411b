"""Importing clients from another system's CSV export: mapping, per-line problems, duplicates,
nothing before the confirmation and all-or-nothing after it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.importing import MAX_ROWS
from tenant_apps.clients.models import Client
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.hostile_input import TOO_LONG_EMAIL

pytestmark = pytest.mark.django_db

GOOD = (
    "First Name,Last,Email Address,DOB,Phone Number,Notes\r\n"
    "Maya,Okafor,MAYA@example.org,1988-07-14,555-0101,likes mornings\r\n"
    "Theo,Brandt,,03/09/1975,,\r\n"
    "\r\n"
    'Lena,"Van\nDyke",lena@example.org,,555-0103,"two\nline note"\r\n'
)
GOOD_MAPPING = {
    "first_name": "0",
    "last_name": "1",
    "preferred_name": "",
    "pronouns": "",
    "email": "2",
    "phone": "4",
    "date_of_birth": "3",
}


def _upload(browser: Browser, text: str, name: str = "export.csv") -> Any:
    return browser.post(
        "/staff/clients/import/",
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def _clients(cast: Cast) -> list[tuple[object, ...]]:
    with cast.a.schema():
        return list(Client.objects.order_by("pk").values_list("pk", "last_name", "email"))


def _session_keys(cast: Cast, browser: Browser) -> set[str]:
    with cast.a.schema():
        return set(browser.session.keys())


def _audit_details(cast: Cast) -> list[dict[str, object]]:
    with cast.a.schema():
        return list(AuditEntry.objects.values_list("detail", flat=True))


def test_a_good_file_is_imported_only_after_confirmation(cast: Cast, admin_a: User) -> None:
    browser = cast.a.signed_in(admin_a)
    uploaded = _upload(browser, GOOD)
    assert uploaded.status_code == 302
    assert uploaded["Location"] == "/staff/clients/import/mapping/"  # the file stays server-side

    mapping = browser.get("/staff/clients/import/mapping/")
    assert mapping.status_code == 200
    assert mapping.context["form"].initial == GOOD_MAPPING
    assert mapping.context["row_count"] == 3
    assert [line for line, _ in mapping.context["preview"]] == [2, 3, 5]
    assert b"Okafor" in mapping.content

    checked = browser.post("/staff/clients/import/mapping/", {**GOOD_MAPPING, "action": "check"})
    assert checked.context["check"].problems == []
    assert b"Import 3 clients" in checked.content
    assert _clients(cast) == []

    imported = browser.post("/staff/clients/import/mapping/", {**GOOD_MAPPING, "action": "import"})
    assert imported.status_code == 302
    assert imported["Location"] == "/staff/clients/import/done/"
    with cast.a.schema():
        clients = {c.last_name: c for c in Client.objects.all()}
    assert sorted(clients) == ["Brandt", "Okafor", "Van\nDyke"]
    assert clients["Okafor"].email == "maya@example.org"
    assert clients["Okafor"].date_of_birth == datetime.date(1988, 7, 14)
    assert clients["Brandt"].date_of_birth == datetime.date(1975, 3, 9)
    assert clients["Okafor"].phone == "555-0101"

    done = browser.get("/staff/clients/import/done/")
    assert sorted(c.pk for c in done.context["clients"]) == sorted(c.pk for c in clients.values())
    assert done.content.count(b'type="checkbox"') == 3
    assert b"checked" in done.content
    assert b"Invite selected</button>" in done.content
    assert b'action="/staff/clients/import/invite/"' in done.content

    # The upload is gone from the session: the import cannot be replayed.
    replay = browser.post("/staff/clients/import/mapping/", {**GOOD_MAPPING, "action": "import"})
    assert replay.status_code == 302
    assert replay["Location"] == "/staff/clients/import/"
    assert len(_clients(cast)) == 3

    with cast.a.schema():
        [entry] = AuditEntry.objects.filter(action="client.imported")
    assert (entry.actor_id, entry.detail) == (admin_a.pk, {"count": 3})


def test_audit_details_hold_no_names_or_emails(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, GOOD)
    browser.post("/staff/clients/import/mapping/", {**GOOD_MAPPING, "action": "import"})
    browser.get("/staff/clients/import/done/")
    with cast.a.schema():
        pk = Client.objects.get(last_name="Okafor").pk
    browser.get(f"/staff/clients/{pk}/")
    browser.post(
        f"/staff/clients/{pk}/edit/",
        {"first_name": "Maya", "last_name": "Okafor-Reed", "email": "maya.reed@example.org"},
    )
    details = repr(_audit_details(cast)).lower()
    assert len(_audit_details(cast)) >= 4
    for phi in ("maya", "okafor", "theo", "brandt", "lena", "example.org", "1988", "555"):
        assert phi not in details, phi


def test_bad_rows_import_nothing_and_are_reported_by_line(cast: Cast) -> None:
    text = (
        "first_name,last_name,email,date_of_birth\n"
        "Ok,Row,ok@example.org,1990-01-01\n"
        ",Nofirst,,\n"
        'Multi,"Line\nName",,\n'
        "Bad,Date,,31/12/1990\n"
        "Bad,Email,not-an-email,\n"
        "Future,Born,,2999-01-01\n"
    )
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, text)
    mapping = {**GOOD_MAPPING, "phone": "", "email": "2", "date_of_birth": "3"}
    response = browser.post("/staff/clients/import/mapping/", {**mapping, "action": "import"})
    assert response.status_code == 200
    problems = [(p.line, p.message) for p in response.context["check"].problems]
    assert problems == [
        (3, "First name is required."),
        (
            6,
            "Date of birth “31/12/1990” is not a date in the form YYYY-MM-DD or MM/DD/YYYY.",
        ),
        (7, "Enter a valid email address."),
        (8, "The date of birth is in the future."),
    ]
    assert b"Line 6: Date of birth" in response.content
    assert b"Import " not in response.content.replace(b"Import clients", b"")
    assert _clients(cast) == []
    assert not [d for d in _audit_details(cast) if d]


def test_an_email_longer_than_the_column_is_reported_by_line(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, f"first_name,last_name,email\nOk,Row,ok@example.org\nLo,Ng,{TOO_LONG_EMAIL}\n")
    mapping = {**GOOD_MAPPING, "phone": "", "date_of_birth": ""}
    response = browser.post("/staff/clients/import/mapping/", {**mapping, "action": "import"})
    assert response.status_code == 200
    assert [(p.line, p.message) for p in response.context["check"].problems] == [
        (3, "Email can be at most 254 characters.")
    ]
    assert _clients(cast) == []


def test_a_semicolon_separated_export_is_imported(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    _upload(
        browser,
        "First Name;Last;Email Address;DOB;Notes\r\n"
        'Maya;Okafor;maya@example.org;1988-07-14;"likes mornings, early"\r\n'
        "Theo;Brandt;;03/09/1975;\r\n",
    )
    mapping = {**GOOD_MAPPING, "phone": ""}
    imported = browser.post("/staff/clients/import/mapping/", {**mapping, "action": "import"})
    assert imported.status_code == 302
    assert [row[1:] for row in _clients(cast)] == [
        ("Okafor", "maya@example.org"),
        ("Brandt", ""),
    ]


def test_duplicate_emails_are_reported_within_the_file_and_against_clients(
    cast: Cast, make_client: MakeClient
) -> None:
    make_client(first_name="Existing", last_name="Person", email="taken@example.org")
    archived = make_client(first_name="Old", last_name="Archived", email="old@example.org")
    with cast.a.schema():
        Client.objects.filter(pk=archived.pk).update(is_archived=True)
    before = _clients(cast)
    text = (
        "First Name,Last Name,Email\n"
        "A,One,twice@example.org\n"
        "B,Two,Taken@Example.org\n"
        "C,Three,TWICE@example.org\n"
        "D,Four,old@example.org\n"
    )
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, text)
    mapping = dict.fromkeys(GOOD_MAPPING, "") | {"first_name": "0", "last_name": "1", "email": "2"}
    response = browser.post("/staff/clients/import/mapping/", {**mapping, "action": "import"})
    problems = [(p.line, p.message) for p in response.context["check"].problems]
    assert problems == [
        (3, "A client with this email already exists: taken@example.org"),
        (4, "The email twice@example.org is also on line 2."),
    ]
    assert b"Existing" not in response.content
    assert _clients(cast) == before


def test_the_mapping_needs_names_and_distinct_columns(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, GOOD)
    bad = {**GOOD_MAPPING, "first_name": "", "phone": "2"}
    response = browser.post("/staff/clients/import/mapping/", {**bad, "action": "import"})
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Choose the column that holds the first name."]
    assert errors["phone"] == ["This column is already used for the email."]
    assert _clients(cast) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"First Name,Last Name\n", "The file has a header line but no clients."),
        (b"\xff\xfe\x00\x00" + bytes(range(128, 160)), "not a text CSV"),
        (b"a,b\n\x00\x01,c\n", "not a text CSV"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like an Excel workbook"),
        (b"a,b\n" + b"x,y\n" * (MAX_ROWS + 1), f"more than {MAX_ROWS:,} clients"),
        (b"a,b\n" + b"x" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
    ids=["empty", "header-only", "binary", "nul", "xlsx", "too-many-rows", "too-big"],
)
def test_unusable_files_are_explained(cast: Cast, content: bytes, message: str) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    response = browser.post(
        "/staff/clients/import/",
        {"file": SimpleUploadedFile("export.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "clients_import_csv" not in _session_keys(cast, browser)


def test_cancel_drops_the_upload(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    _upload(browser, GOOD)
    assert "clients_import_csv" in _session_keys(cast, browser)
    cancelled = browser.post("/staff/clients/import/mapping/", {"action": "cancel"})
    assert cancelled["Location"] == "/staff/clients/"
    assert "clients_import_csv" not in _session_keys(cast, browser)
    assert _clients(cast) == []
