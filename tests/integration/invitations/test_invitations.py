"""Inviting clients to the portal: the setup wizard, the link's lifecycle (single use, 7 days,
resend, revoke, another practice's host), raw tokens kept out of the database and the logs, revoke
ending every session, and who may do what."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.invitations.models import Invitation, InvitationStatus, PortalAccess
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.invitations import (
    CLIENT_PASSWORD,
    accept,
    emails,
    fresh,
    invitation_token,
    invite,
)

pytestmark = pytest.mark.django_db


def _actions(cast: Cast, prefix: str) -> list[AuditEntry]:
    with cast.a.schema():
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("pk"))


def _invitations(cast: Cast, client: Client) -> list[Invitation]:
    with cast.a.schema():
        return list(Invitation.objects.filter(client_id=client.pk).order_by("pk"))


# --- The setup wizard ----------------------------------------------------------------------------


def test_wizard_confirms_details_then_sends_the_invitation_with_the_choices(
    cast: Cast, assigned: Client
) -> None:
    staff = cast.a.signed_in(cast.a.owner)
    detail = staff.get(f"/staff/clients/{assigned.pk}/")
    assert f"/staff/clients/{assigned.pk}/setup/".encode() in detail.content
    page1 = staff.get(f"/staff/clients/{assigned.pk}/setup/")
    assert page1.status_code == 200
    assert b"avery@example.org" in page1.content
    page2 = staff.get(f"/staff/clients/{assigned.pk}/setup/access/")
    assert page2.status_code == 200
    assert b"Forms and documents to complete or sign" in page2.content
    # Defaults from Settings > Portal: messaging and uploads on, demographics and emergency
    # contact collected.
    form = page2.context["form"]
    assert form.initial["secure_messaging"] is True
    assert form.initial["online_booking"] is False
    assert form.initial["collect_insurance"] is False

    sent = staff.post(
        f"/staff/clients/{assigned.pk}/setup/access/",
        {"secure_messaging": "on", "online_booking": "on", "collect_insurance": "on"},
    )
    assert sent.status_code == 302
    assert sent["Location"] == f"/staff/clients/{assigned.pk}/portal/"

    client = fresh(cast.a, assigned)
    assert client.portal_status == PortalStatus.INVITED
    account = client.account
    assert account is not None
    assert (account.kind, account.is_active, account.has_usable_password()) == (
        "client",
        False,
        False,
    )
    with cast.a.schema():
        access = PortalAccess.objects.get(client_id=client.pk)
    assert [name for name, _ in access.enabled_features] == ["secure_messaging", "online_booking"]
    assert access.requested_steps == ["insurance"]

    [email] = emails(cast.a, "client_invitation")
    assert email.to_email == "avery@example.org"
    assert "Avery" in email.body_text
    assert "Assigned" not in email.body_text  # nothing beyond the first name
    assert "Assigned" not in email.subject
    assert [e.detail for e in _actions(cast, "invitation.")] == [
        {"invitation": _invitations(cast, assigned)[0].pk}
    ]
    assert _actions(cast, "portal_access.")[0].detail["fields"]

    tab = staff.get(f"/staff/clients/{assigned.pk}/portal/")
    assert tab.status_code == 200
    assert b"Resend invitation" in tab.content
    assert b"Revoke access" in tab.content
    assert b"Online booking" in tab.content


def test_the_portal_tab_of_a_client_not_invited_offers_setup_and_a_direct_invite(
    cast: Cast, unassigned: Client
) -> None:
    tab = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{unassigned.pk}/portal/")
    assert tab.status_code == 200
    assert b"Not invited yet." in tab.content
    assert f'action="/staff/clients/{unassigned.pk}/portal/invite/"'.encode() in tab.content
    assert f'href="/staff/clients/{unassigned.pk}/setup/"'.encode() in tab.content
    token = invite(cast.a, unassigned)
    with cast.a.schema():
        access = PortalAccess.objects.get(client_id=unassigned.pk)
    # Settings > Portal's defaults.
    assert [name for name, _ in access.enabled_features] == ["secure_messaging", "client_uploads"]
    assert access.requested_steps == ["demographics", "emergency_contact"]
    assert accept(cast.a, token).get("/onboarding/")["Location"] == "/onboarding/demographics/"


def test_wizard_refuses_a_client_without_email(cast: Cast, make_client: MakeClient) -> None:
    client = make_client(first_name="Noel", last_name="Noemail")
    response = cast.a.signed_in(cast.a.owner).post(
        f"/staff/clients/{client.pk}/setup/access/", {"secure_messaging": "on"}
    )
    assert response.status_code == 200
    assert b"Add the client&#x27;s email address" in response.content
    assert fresh(cast.a, client).portal_status == PortalStatus.NOT_INVITED
    assert emails(cast.a, "client_invitation") == []


# --- The link ------------------------------------------------------------------------------------


def test_the_link_moves_into_the_session_and_works_once(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    browser = cast.a.http()
    opened = browser.get(f"/invitation/{token}/")
    assert opened.status_code == 302
    assert opened["Location"] == "/welcome/"
    assert opened["Referrer-Policy"] == "no-referrer"
    [invitation] = _invitations(cast, assigned)
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.opened_at is not None
    page = browser.get("/welcome/")
    assert page.status_code == 200
    # No token in this address; `no-referrer` here would make browsers send `Origin: null`.
    assert page["Referrer-Policy"] == "same-origin"
    assert token.encode() not in page.content
    done = browser.post("/welcome/", {"password1": CLIENT_PASSWORD, "password2": CLIENT_PASSWORD})
    assert done["Location"] == "/onboarding/"

    client = fresh(cast.a, assigned)
    assert client.portal_status == PortalStatus.ACTIVE
    assert client.account is not None
    assert client.account.is_active
    assert client.account.check_password(CLIENT_PASSWORD)
    [invitation] = _invitations(cast, assigned)
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_at is not None
    assert [e.action for e in _actions(cast, "invitation.")] == [
        "invitation.sent",
        "invitation.accepted",
    ]
    assert browser.get("/").context["user"].pk == client.account.pk
    # Used: the same link is now the friendly 404, and so is the form.
    again = cast.a.http()
    refused = again.get(f"/invitation/{token}/")
    assert refused.status_code == 404
    assert b"This link no longer works" in refused.content
    assert again.get("/welcome/").status_code == 404


def test_the_link_expires_after_seven_days(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert cast.a.http().get(f"/invitation/{token}/").status_code == 404
        tab = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{assigned.pk}/portal/")
        assert b"Expired" in tab.content
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert cast.a.http().get(f"/invitation/{token}/").status_code == 302


def test_an_expired_link_opened_earlier_cannot_be_completed(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    browser = cast.a.http()
    assert browser.get(f"/invitation/{token}/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        refused = browser.post(
            "/welcome/", {"password1": CLIENT_PASSWORD, "password2": CLIENT_PASSWORD}
        )
        assert refused.status_code == 404
    assert fresh(cast.a, assigned).portal_status == PortalStatus.INVITED


def test_resend_kills_the_old_link(cast: Cast, assigned: Client) -> None:
    old = invite(cast.a, assigned)
    staff = cast.a.signed_in(cast.a.owner)
    assert staff.post(f"/staff/clients/{assigned.pk}/portal/resend/").status_code == 302
    new = invitation_token(emails(cast.a, "client_invitation")[-1])
    assert new != old
    refused = cast.a.http().get(f"/invitation/{old}/")
    assert refused.status_code == 404
    assert b"This link no longer works" in refused.content
    statuses = [i.status for i in _invitations(cast, assigned)]
    assert statuses == [InvitationStatus.REPLACED, InvitationStatus.SENT]
    accept(cast.a, new)
    assert [e.action for e in _actions(cast, "invitation.")] == [
        "invitation.sent",
        "invitation.resent",
        "invitation.accepted",
    ]


def test_a_revoked_invitation_link_fails_and_access_can_be_granted_again(
    cast: Cast, assigned: Client
) -> None:
    token = invite(cast.a, assigned)
    staff = cast.a.signed_in(cast.a.owner)
    assert staff.post(f"/staff/clients/{assigned.pk}/portal/revoke/").status_code == 302
    assert cast.a.http().get(f"/invitation/{token}/").status_code == 404
    client = fresh(cast.a, assigned)
    assert client.portal_status == PortalStatus.REVOKED
    account_id = client.account_id
    [invitation] = _invitations(cast, assigned)
    assert (invitation.status, invitation.revoked_at is not None) == (
        InvitationStatus.REVOKED,
        True,
    )
    tab = staff.get(f"/staff/clients/{assigned.pk}/portal/")
    assert b"Grant access again" in tab.content

    again = invite(cast.a, assigned)
    accept(cast.a, again)
    client = fresh(cast.a, assigned)
    assert client.portal_status == PortalStatus.ACTIVE
    assert client.account_id == account_id  # the same account, enabled again
    assert client.account is not None
    assert client.account.is_active


def test_practice_a_link_on_practice_b_host_is_a_friendly_404(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    on_b = cast.b.http()
    response = on_b.get(f"/invitation/{token}/")
    assert response.status_code == 404
    assert b"This link no longer works" in response.content
    assert b"Practice A" not in response.content
    assert on_b.get("/welcome/").status_code == 404
    [invitation] = _invitations(cast, assigned)
    assert invitation.status == InvitationStatus.SENT  # untouched on A
    accept(cast.a, token)


def test_raw_tokens_are_in_no_column_and_no_log_line(
    cast: Cast, assigned: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = invite(cast.a, assigned)
    browser = accept(cast.a, token)
    cast.a.http().get(f"/invitation/{token}/")  # used: logged as not valid
    cast.b.http().get(f"/invitation/{token}/")
    browser.get("/onboarding/")
    with cast.a.schema():
        for model in (Invitation, PortalAccess, Client, User, AuditEntry, Session):
            text_fields = [
                field.name
                for field in model._meta.get_fields()
                if isinstance(field, models.Field) and not field.is_relation
            ]
            for row in model._default_manager.values_list(*text_fields):
                assert all(token not in str(value) for value in row), model
    assert caplog.records
    assert all(token not in record.getMessage() for record in caplog.records)


def test_revoke_deletes_every_session_of_the_client_at_once(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    first = accept(cast.a, token)
    second = cast.a.http()
    signed_in = second.post(
        "/sign-in/", {"username": "avery@example.org", "password": CLIENT_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert first.get("/preferences/").status_code == 200
    owner = cast.a.signed_in(cast.a.owner)

    assert owner.post(f"/staff/clients/{assigned.pk}/portal/revoke/").status_code == 302

    for browser in (first, second):
        response = browser.get("/preferences/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    account_id = str(fresh(cast.a, assigned).account_id)
    with cast.a.schema():
        assert not [
            s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == account_id
        ]
    refused = cast.a.http().post(
        "/sign-in/", {"username": "avery@example.org", "password": CLIENT_PASSWORD}
    )
    assert refused.status_code == 200
    assert owner.get("/staff/").status_code == 200  # staff sessions untouched
    [entry] = _actions(cast, "invitation.revoked")
    assert entry.detail == {"sessions_ended": 2}


# --- Who may do what -----------------------------------------------------------------------------

_PAGES = [
    ("get", "/staff/clients/{pk}/setup/", 200),
    ("get", "/staff/clients/{pk}/setup/access/", 200),
    ("get", "/staff/clients/{pk}/portal/", 200),
    ("post", "/staff/clients/{pk}/portal/invite/", 302),
    ("post", "/staff/clients/{pk}/portal/resend/", 302),
    ("post", "/staff/clients/{pk}/portal/revoke/", 302),
]


def _state(cast: Cast) -> tuple[object, ...]:
    with cast.a.schema():
        return (
            list(Client.objects.order_by("pk").values_list("pk", "portal_status", "account_id")),
            Invitation.objects.count(),
            PortalAccess.objects.count(),
        )


@pytest.mark.parametrize(("method", "path", "_ok"), _PAGES)
def test_anonymous_go_to_sign_in_clients_are_refused_and_strangers_get_404(
    cast: Cast, assigned: Client, unassigned: Client, method: str, path: str, _ok: int
) -> None:
    before = _state(cast)
    target = path.format(pk=unassigned.pk)
    anonymous = getattr(cast.a.http(), method)(target)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/?next=")
    assert getattr(cast.a.signed_in(cast.a.client_user), method)(target).status_code == 403
    assert cast.a.clinician is not None
    stranger = getattr(cast.a.signed_in(cast.a.clinician), method)(target)
    assert stranger.status_code == 404
    assert b"Unassigned" not in stranger.content
    assert _state(cast) == before


@pytest.mark.parametrize("who", ["owner", "admin", "clinician"])
def test_owner_admin_and_the_assigned_clinician_manage_the_portal(
    cast: Cast, assigned: Client, admin_a: User, who: str
) -> None:
    user = {"owner": cast.a.owner, "admin": admin_a, "clinician": cast.a.clinician}[who]
    assert user is not None
    staff = cast.a.signed_in(user)
    for method, path, ok in _PAGES:
        response = getattr(staff, method)(path.format(pk=assigned.pk))
        assert response.status_code == ok, (path, response.status_code)
    # invite → resend → revoke, in that order, all by this person.
    assert [e.action for e in _actions(cast, "invitation.")] == [
        "invitation.sent",
        "invitation.resent",
        "invitation.revoked",
    ]
    assert {e.actor_id for e in _actions(cast, "invitation.")} == {user.pk}


# --- Bulk invite after an import -----------------------------------------------------------------


def test_bulk_invite_sends_to_the_ticked_clients_that_can_be_invited(
    cast: Cast, make_client: MakeClient, admin_a: User
) -> None:
    one = make_client(first_name="Bo", last_name="Bulk", email="bo@example.org")
    two = make_client(first_name="Cy", last_name="Bulk", email="cy@example.org")
    none = make_client(first_name="Di", last_name="Noemail")
    untouched = make_client(first_name="Ed", last_name="Left", email="ed@example.org")
    staff = cast.a.signed_in(admin_a)
    response = staff.post(
        "/staff/clients/import/invite/", {"client": [one.pk, two.pk, none.pk, "junk"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/clients/"
    statuses = {c.pk: fresh(cast.a, c).portal_status for c in (one, two, none, untouched)}
    assert statuses == {
        one.pk: PortalStatus.INVITED,
        two.pk: PortalStatus.INVITED,
        none.pk: PortalStatus.NOT_INVITED,
        untouched.pk: PortalStatus.NOT_INVITED,
    }
    assert sorted(e.to_email for e in emails(cast.a, "client_invitation")) == [
        "bo@example.org",
        "cy@example.org",
    ]
    followed = staff.get("/staff/clients/")
    assert b"2 invitations sent. 1 client could not be invited" in followed.content
    # Clinicians cannot bulk-invite (like the import itself).
    assert cast.a.clinician is not None
    refused = cast.a.signed_in(cast.a.clinician).post(
        "/staff/clients/import/invite/", {"client": [untouched.pk]}
    )
    assert refused.status_code == 403
    assert fresh(cast.a, untouched).portal_status == PortalStatus.NOT_INVITED


def test_the_import_done_page_posts_to_the_bulk_invite(cast: Cast, make_client: MakeClient) -> None:
    client = make_client(first_name="Fay", last_name="Fresh", email="fay@example.org")
    staff = cast.a.signed_in(cast.a.owner)
    with cast.a.schema():
        session = staff.session
        session["clients_imported_ids"] = [client.pk]
        session.save()
    page = staff.get("/staff/clients/import/done/")
    assert b'action="/staff/clients/import/invite/"' in page.content
    assert b"disabled" not in page.content


def test_archiving_a_client_takes_their_portal_access_away(cast: Cast, assigned: Client) -> None:
    token = invite(cast.a, assigned)
    browser = accept(cast.a, token)
    assert browser.get("/preferences/").status_code == 200

    owner = cast.a.signed_in(cast.a.owner)
    assert owner.post(f"/staff/clients/{assigned.pk}/archive/").status_code == 302

    client = fresh(cast.a, assigned)
    assert client.is_archived
    assert client.portal_status == "revoked"
    assert client.account is not None
    assert not client.account.is_active
    assert browser.get("/preferences/")["Location"].startswith("/sign-in/")
