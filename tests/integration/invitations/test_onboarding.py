"""Onboarding after accepting an invitation: only the requested steps, resumable, home shows what
is left, completion notifies the owners and the assigned clinician (in the app and by email, with
no PHI in the email); communication preferences; navigation shows only enabled features."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.onboarding.models import Demographics, EmergencyContact, Insurance
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.invitations import (
    CLIENT_PASSWORD,
    accept,
    emails,
    invitation_token,
)

pytestmark = pytest.mark.django_db

DEMOGRAPHICS = {"address_line1": "1 Quiet Lane", "city": "Springfield", "postal_code": "12345"}
EMERGENCY = {"name": "Jordan Kin", "relationship": "Sibling", "phone": "555-0199"}
INSURANCE = {"provider": "Acme Health", "member_id": "M-778899"}


def _invite_with(cast: Cast, client: Client, **choices: str) -> str:
    staff = cast.a.signed_in(cast.a.owner)
    response = staff.post(f"/staff/clients/{client.pk}/setup/access/", choices)
    assert response.status_code == 302, response.content
    return invitation_token(emails(cast.a, "client_invitation")[-1])


def _assert_staff_notified(cast: Cast, assigned: Client) -> None:
    """The owner and the assigned clinician: an in-app notification each, an email each that
    names neither the client nor anything they typed; audit rows name steps only."""
    assert cast.a.clinician is not None
    with cast.a.schema():
        assert Demographics.objects.get(client_id=assigned.pk).city == "Springfield"
        assert EmergencyContact.objects.filter(client_id=assigned.pk).exists()
        access = PortalAccess.objects.get(client_id=assigned.pk)
        assert access.onboarding_completed_at is not None
        notified = sorted(
            StaffNotification.objects.filter(client_id=assigned.pk).values_list(
                "recipient_id", flat=True
            )
        )
        actions = list(
            AuditEntry.objects.filter(action__startswith="onboarding.")
            .order_by("pk")
            .values_list("action", "detail")
        )
    assert notified == sorted([cast.a.owner.pk, cast.a.clinician.pk])
    assert actions == [
        ("onboarding.step_completed", {"step": "demographics"}),
        ("onboarding.step_completed", {"step": "emergency_contact"}),
        ("onboarding.completed", {"steps": ["demographics", "emergency_contact"]}),
    ]
    sent = emails(cast.a, "onboarding_completed")
    assert sorted(e.to_email for e in sent) == sorted([cast.a.owner.email, cast.a.clinician.email])
    for email in sent:
        for phi in ("Avery", "Assigned", "avery@example.org", "Springfield", "Jordan"):
            assert phi not in email.body_text
            assert phi not in email.subject
    clinician_email = next(e for e in sent if e.to_email == cast.a.clinician.email)
    assert cast.a.clinician.first_name in clinician_email.body_text

    # The owner sees it on the staff home, with a count.
    staff_home = cast.a.signed_in(cast.a.owner).get("/staff/")
    assert b"Onboarding complete" in staff_home.content
    assert b"(1)" in staff_home.content
    assert b"Avery Assigned" in staff_home.content


def test_onboarding_is_resumable_and_completion_notifies_staff(
    cast: Cast, assigned: Client
) -> None:
    token = _invite_with(
        cast,
        assigned,
        secure_messaging="on",
        collect_demographics="on",
        collect_emergency_contact="on",
    )
    browser = accept(cast.a, token)
    start = browser.get("/onboarding/")
    assert start["Location"] == "/onboarding/demographics/"
    page = browser.get("/onboarding/demographics/")
    assert page.status_code == 200
    assert b"Step 1 of 2" in page.content
    # Not requested: no such step for this client.
    assert browser.get("/onboarding/insurance/").status_code == 404
    invalid = browser.post("/onboarding/demographics/", {"city": "Springfield"})
    assert invalid.status_code == 200
    saved = browser.post("/onboarding/demographics/", DEMOGRAPHICS)
    assert saved["Location"] == "/onboarding/"

    # Leave and come back: home lists what is left, onboarding resumes there.
    home = browser.get("/")
    assert b"Needs your attention" in home.content
    assert b"Emergency contact" in home.content
    assert b'href="/onboarding/demographics/"' not in home.content
    assert b'href="/messages/"' in home.content  # enabled feature: Messages in the navigation
    assert b"Online booking" not in home.content
    assert browser.get("/onboarding/")["Location"] == "/onboarding/emergency_contact/"
    assert browser.post("/sign-out/").status_code == 302
    browser = cast.a.http()
    signed_in = browser.post(
        "/sign-in/", {"username": "avery@example.org", "password": CLIENT_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert browser.get("/onboarding/")["Location"] == "/onboarding/emergency_contact/"
    with cast.a.schema():
        assert StaffNotification.objects.count() == 0
    assert emails(cast.a, "onboarding_completed") == []

    done = browser.post("/onboarding/emergency_contact/", EMERGENCY)
    assert done["Location"] == "/onboarding/"
    assert browser.get("/onboarding/")["Location"] == "/"
    home = browser.get("/")
    assert b"Nothing needs your attention" in home.content

    _assert_staff_notified(cast, assigned)

    # Editing a step afterwards does not notify again.
    browser.post("/onboarding/demographics/", {**DEMOGRAPHICS, "city": "Shelbyville"})
    assert len(emails(cast.a, "onboarding_completed")) == 2


def test_a_client_with_nothing_to_collect_is_done_at_once(cast: Cast, assigned: Client) -> None:
    token = _invite_with(cast, assigned)
    browser = accept(cast.a, token)
    assert browser.get("/onboarding/")["Location"] == "/"
    assert b"Nothing needs your attention" in browser.get("/").content
    with cast.a.schema():
        assert not Insurance.objects.exists()


def test_communication_preferences_are_stored_per_client(cast: Cast, assigned: Client) -> None:
    token = _invite_with(cast, assigned, collect_insurance="on")
    browser = accept(cast.a, token)
    page = browser.get("/preferences/")
    assert page.status_code == 200
    assert page.context["form"].initial == {"allows_email": True}
    assert browser.post("/preferences/", {})["Location"] == "/preferences/"
    with cast.a.schema():
        assert PortalAccess.objects.get(client_id=assigned.pk).allows_email is False
        [entry] = AuditEntry.objects.filter(action="preferences.updated")
    assert entry.detail == {"allows_email": False}
    tab = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{assigned.pk}/portal/")
    assert b"Not allowed by the client" in tab.content


@pytest.mark.parametrize("path", ["/onboarding/", "/onboarding/demographics/", "/preferences/"])
def test_client_pages_need_a_client_with_a_record(cast: Cast, path: str) -> None:
    anonymous = cast.a.http().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/?next=")
    assert cast.a.signed_in(cast.a.owner).get(path).status_code == 403
    # The cast's client account has no client record: no portal pages of its own.
    assert cast.a.signed_in(cast.a.client_user).get(path).status_code == 403


def test_the_client_home_costs_the_same_queries_whatever_is_left(
    cast: Cast, assigned: Client, make_client: MakeClient
) -> None:
    other = make_client(first_name="Oz", last_name="Other", email="oz@example.org")
    few = accept(cast.a, _invite_with(cast, assigned, collect_insurance="on"))
    many = accept(
        cast.a,
        _invite_with(
            cast,
            other,
            secure_messaging="on",
            online_booking="on",
            collect_demographics="on",
            collect_emergency_contact="on",
            collect_insurance="on",
        ),
    )
    counts = []
    for browser in (few, many):
        browser.get("/")  # warm the settings cache
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
