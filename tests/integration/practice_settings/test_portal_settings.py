"""Settings > Portal: who may open it, what it saves, what clients then see."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shared_apps.accounts.models import User
from shared_apps.tenancy.errors import PracticeProfileError
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.services import practice_profile_update
from tenant_apps.audit.models import AuditEntry
from tenant_apps.practice_settings.models import DEFAULT_CRISIS_NOTICE, PortalSettings
from tenant_apps.practice_settings.selectors import portal_settings
from tenant_apps.practice_settings.services import portal_settings_update
from tests.cast import Cast, PracticeCast
from tests.support.practice_settings import settings_of

pytestmark = pytest.mark.django_db

URL = "/staff/settings/portal/"

VALID: dict[str, Any] = {
    "name": "Calm Minds Counselling",
    "time_zone": "America/Chicago",
    "phone": "+1 (555) 010-0199",
    "address_line1": "12 Harbour Street",
    "address_line2": "Suite 4",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "country": "United States",
    "default_secure_messaging": "on",
    "default_online_booking": "on",
    # client uploads left unticked: turned off
    "default_manage_billing": "on",
    "collect_demographics": "on",
    "collect_insurance": "on",
    "unread_message_email_delay_minutes": "15",
    "cancellation_policy": "Please cancel 24 hours ahead.",
    # The page shows the crisis notice filled in; sent back unchanged.
    "crisis_notice": DEFAULT_CRISIS_NOTICE,
}


def _practice_row(practice_cast: PracticeCast) -> tuple[str, str]:
    row = Practice.objects.get(pk=practice_cast.practice.pk)
    return row.name, row.time_zone


def _audit_entries(practice_cast: PracticeCast) -> list[AuditEntry]:
    with practice_cast.schema():
        return list(AuditEntry.objects.filter(action="settings.portal_updated"))


# --- The page ------------------------------------------------------------------------------------


def test_owner_sees_the_portal_address_with_a_copy_button_and_the_defaults(cast: Cast) -> None:
    response = cast.a.signed_in(cast.a.owner).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<code id="portal-address" class="portal-address">http://a.localhost/</code>' in page
    assert 'data-copy-target="portal-address"' in page
    assert 'src="/static/practice_settings/copy.js" defer' in page
    form = response.context["form"]
    assert form["name"].value() == "Practice A"
    assert form["time_zone"].value() == "UTC"
    assert form["unread_message_email_delay_minutes"].value() == 2
    ticked = {
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField) and form[name].value()
    }
    assert ticked == {
        "default_secure_messaging",
        "default_client_uploads",
        "collect_demographics",
        "collect_emergency_contact",
    }


def test_the_copy_script_is_served(cast: Cast) -> None:
    response = cast.a.http().get("/static/practice_settings/copy.js")
    assert response.status_code == 200
    assert b"clipboard" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_owner_saves_settings_and_sees_a_success_message(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    response = owner.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == URL
    page = owner.get(URL)
    assert b"Portal settings saved." in page.content
    assert b"Calm Minds Counselling" in page.content
    saved = settings_of(cast.a)
    assert {key: saved[key] for key in saved if key != "id"} == {
        "phone": "+1 (555) 010-0199",
        "address_line1": "12 Harbour Street",
        "address_line2": "Suite 4",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "United States",
        "default_secure_messaging": True,
        "default_online_booking": True,
        "default_client_uploads": False,
        "default_view_shared_invoices": False,
        "default_manage_billing": True,
        "collect_demographics": True,
        "collect_emergency_contact": False,
        "collect_insurance": True,
        "unread_message_email_delay_minutes": 15,
        "cancellation_policy": "Please cancel 24 hours ahead.",
        "admin_staff_read_messages": False,
        "crisis_notice": DEFAULT_CRISIS_NOTICE,
    }
    assert _practice_row(cast.a) == ("Calm Minds Counselling", "America/Chicago")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("unread_message_email_delay_minutes", "0", "between 1 and 1440 minutes"),
        ("unread_message_email_delay_minutes", "1441", "between 1 and 1440 minutes"),
        ("unread_message_email_delay_minutes", "soon", "between 1 and 1440 minutes"),
        ("unread_message_email_delay_minutes", "", "between 1 and 1440 minutes"),
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone we know"),
        ("name", "   ", "This field is required."),
        ("phone", "call me maybe", "Use digits, spaces and"),
        ("cancellation_policy", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_a_bad_value_is_explained_and_everything_typed_is_kept(
    cast: Cast, field: str, typed: str, message: str
) -> None:
    before = settings_of(cast.a)
    response = cast.a.signed_in(cast.a.owner).post(URL, {**VALID, field: typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert "nothing was saved" in response.content.decode()
    for name, value in {**VALID, field: typed}.items():
        if isinstance(form.fields[name], forms.BooleanField):
            assert form[name].value() is True, name
        else:
            assert form[name].value() == value, name
    assert form["default_client_uploads"].value() is False  # unticked stays unticked
    page = response.content.decode()
    for name in ("address_line1", "cancellation_policy", "time_zone"):
        if name != field:
            assert VALID[name] in page
    assert settings_of(cast.a) == before
    assert _practice_row(cast.a) == ("Practice A", "UTC")
    assert _audit_entries(cast.a) == []


def test_the_portal_home_shows_a_new_name_at_once(cast: Cast) -> None:
    visitor = cast.a.http()
    assert b"Practice A client portal" in visitor.get("/").content  # the host lookup is cached
    cast.a.signed_in(cast.a.owner).post(URL, {**VALID, "name": "Harbour Therapy"})
    home = visitor.get("/").content
    assert b"Harbour Therapy client portal" in home
    assert b"Practice A" not in home
    assert _practice_row(cast.a) == ("Harbour Therapy", "America/Chicago")


@pytest.mark.parametrize("signed_in_as", [None, "client_user"])
def test_the_portal_home_shows_the_practice_address(cast: Cast, signed_in_as: str | None) -> None:
    visitor = cast.a.http() if signed_in_as is None else cast.a.signed_in(cast.a.client_user)
    assert b"practice-contact" not in visitor.get("/").content  # cached without an address
    cast.a.signed_in(cast.a.owner).post(URL, VALID)
    page = visitor.get("/").content.decode()
    assert '<address class="card practice-contact">' in page
    for line in ("12 Harbour Street", "Suite 4", "Springfield, IL 62701", "United States"):
        assert f"{line}<br>" in page
    assert "+1 (555) 010-0199" in page
    assert "12 Harbour Street" not in cast.b.http().get("/").content.decode()


def test_the_portal_home_shows_no_empty_address_block(cast: Cast) -> None:
    assert b"practice-contact" not in cast.a.http().get("/").content


# --- Who may open it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("client_user", 403), ("clinician", 403), ("admin", 403), ("owner", 200)],
)
def test_only_the_owner_may_open_the_page(
    cast: Cast, admin_a: User, who: str | None, status: int
) -> None:
    if who is None:
        http = cast.a.http()
    else:
        http = cast.a.signed_in(admin_a if who == "admin" else getattr(cast.a, who))
    response = http.get(URL)
    assert response.status_code == status
    if who is None:
        assert response["Location"] == f"/sign-in/?next={URL}"
    if status != 200:
        assert b"portal-address" not in response.content


@pytest.mark.parametrize("who", [None, "client_user", "clinician", "admin"])
def test_nobody_but_the_owner_can_save(cast: Cast, admin_a: User, who: str | None) -> None:
    before = settings_of(cast.a)
    if who is None:
        http = cast.a.http()
    else:
        http = cast.a.signed_in(admin_a if who == "admin" else getattr(cast.a, who))
    response = http.post(URL, VALID)
    assert response.status_code == (302 if who is None else 403)
    assert settings_of(cast.a) == before
    assert _practice_row(cast.a) == ("Practice A", "UTC")
    assert _audit_entries(cast.a) == []


def test_b_owners_session_replayed_on_a_host_reads_and_changes_nothing(cast: Cast) -> None:
    with cast.a.schema():
        portal_settings_update(actor=cast.a.owner, address_line1="1 Private Lane")
    before = settings_of(cast.a)
    audit_before = len(_audit_entries(cast.a))
    on_b = cast.b.signed_in(cast.b.owner)
    on_a = cast.a.http()
    on_a.cookies[settings.SESSION_COOKIE_NAME] = on_b.cookies[settings.SESSION_COOKIE_NAME].value

    read = on_a.get(URL)
    assert read.status_code == 302
    assert read["Location"].startswith("/sign-in/")
    assert b"1 Private Lane" not in read.content
    write = on_a.post(URL, {**VALID, "name": "Taken Over"})
    assert write.status_code == 302
    assert write["Location"].startswith("/sign-in/")

    assert settings_of(cast.a) == before
    assert settings_of(cast.a)["address_line1"] == "1 Private Lane"
    assert _practice_row(cast.a) == ("Practice A", "UTC")
    assert _practice_row(cast.b) == ("Practice B", "UTC")
    assert len(_audit_entries(cast.a)) == audit_before
    assert _audit_entries(cast.b) == []
    assert on_b.get(URL).status_code == 200  # still signed in at home


# --- Audit and the service -----------------------------------------------------------------------


def test_saving_writes_one_audit_entry_naming_fields_without_their_values(cast: Cast) -> None:
    cast.a.signed_in(cast.a.owner).post(URL, VALID, HTTP_USER_AGENT="Firefox/140")
    [entry] = _audit_entries(cast.a)
    assert (entry.actor_id, entry.actor_role) == (cast.a.owner.pk, "owner")
    assert entry.object_type == "portal_settings"
    assert entry.user_agent == "Firefox/140"
    assert entry.detail == {
        "fields": [
            "address_line1",
            "address_line2",
            "cancellation_policy",
            "city",
            "collect_emergency_contact",
            "collect_insurance",
            "country",
            "default_client_uploads",
            "default_manage_billing",
            "default_online_booking",
            "name",
            "phone",
            "postal_code",
            "region",
            "time_zone",
            "unread_message_email_delay_minutes",
        ]
    }
    stored = json.dumps(entry.detail) + entry.object_id
    for value in ("Harbour", "Springfield", "62701", "010-0199", "Calm Minds", "cancel 24"):
        assert value not in stored


def test_saving_nothing_new_writes_no_audit_entry(cast: Cast) -> None:
    owner = cast.a.signed_in(cast.a.owner)
    owner.post(URL, VALID)
    owner.post(URL, VALID)
    assert len(_audit_entries(cast.a)) == 1


def test_the_settings_are_one_row_per_practice(in_practice_a: PracticeCast) -> None:
    first = portal_settings()
    assert portal_settings().pk == first.pk
    assert PortalSettings.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalSettings.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalSettings.objects.create(singleton=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalSettings.objects.filter(pk=first.pk).update(unread_message_email_delay_minutes=0)


def test_the_service_refuses_unknown_fields_and_bad_values(in_practice_a: PracticeCast) -> None:
    owner = in_practice_a.owner
    with pytest.raises(TypeError, match="singleton"):
        portal_settings_update(actor=owner, singleton=False)
    with pytest.raises(ValidationError):
        portal_settings_update(actor=owner, unread_message_email_delay_minutes=1441)
    with pytest.raises(PracticeProfileError, match="not a time zone"):
        portal_settings_update(actor=owner, time_zone="Europe/Atlantis")
    assert portal_settings().unread_message_email_delay_minutes == 2
    assert AuditEntry.objects.filter(action="settings.portal_updated").count() == 0


def test_practice_profile_update_refuses_an_empty_name(cast: Cast) -> None:
    with pytest.raises(PracticeProfileError, match="needs a name"):
        practice_profile_update(practice=cast.a.practice, name="  ", time_zone="UTC")
    assert _practice_row(cast.a) == ("Practice A", "UTC")
