"""Client > Portal > Manage documentation: tick to share, untick to un-share (an unstarted form
disappears; a started or submitted one is kept, marked), an optional message shown only in the
portal, one content-free email per save to a client who can use the portal; role rules."""

from __future__ import annotations

import pytest

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import FormShare, SubmissionState
from tenant_apps.forms.services import form_archive
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import Cast, PracticeCast
from tests.support.clients import MakeClient
from tests.support.forms_builder import (
    CANARY_ANSWER,
    CANARY_MESSAGE,
    CANARY_TITLE,
    active_share,
    custom_form,
    starter,
    submission_make,
)
from tests.support.invitations import accept, invite

pytestmark = pytest.mark.django_db


def _portal_client(cast: Cast, assigned: Client) -> Client:
    """`assigned`, invited and signed up: an active portal user who allows email."""
    accept(cast.a, invite(cast.a, assigned))
    with cast.a.schema():
        return Client.objects.get(pk=assigned.pk)


def _url(client: Client) -> str:
    return f"/staff/clients/{client.pk}/portal/documentation/"


def _shares(practice: PracticeCast, client: Client) -> list[tuple[int, bool, str]]:
    with practice.schema():
        return sorted(
            (share.form_id, share.unshared_at is None, share.message)
            for share in FormShare.objects.filter(client=client)
        )


def _forms_emails(practice: PracticeCast) -> list[OutboundEmail]:
    with practice.schema():
        return list(OutboundEmail.objects.filter(kind="forms_shared").order_by("pk"))


def _audit(practice: PracticeCast, action: str) -> list[dict[str, object]]:
    with practice.schema():
        return [e.detail for e in AuditEntry.objects.filter(action=action).order_by("pk")]


def test_sharing_two_forms_sends_one_email_without_any_content(
    cast: Cast, assigned: Client
) -> None:
    client = _portal_client(cast, assigned)
    canary = custom_form(cast.a, title=CANARY_TITLE)
    intake = starter(cast.a, "intake")
    browser = cast.a.signed_in(cast.a.owner)
    page = browser.get(_url(client)).content.decode()
    assert CANARY_TITLE in page
    assert "Intake questionnaire" in page

    response = browser.post(
        _url(client), {"form": [str(canary.pk), str(intake.pk)], "message": CANARY_MESSAGE}
    )
    assert response.status_code == 302
    assert _shares(cast.a, client) == sorted(
        [(canary.pk, True, CANARY_MESSAGE), (intake.pk, True, CANARY_MESSAGE)]
    )
    [email] = _forms_emails(cast.a)
    assert email.to_email == client.email
    assert email.subject == f"New forms are waiting in your portal at {cast.a.practice.name}"
    assert f"http://{cast.a.host}/documents/" in email.body_text
    for secret in (CANARY_TITLE, CANARY_MESSAGE, "Intake questionnaire", client.first_name):
        assert secret not in email.subject
        assert secret not in email.body_text
    assert _audit(cast.a, "form.shared") == [
        {"form": form_id, "in_setup": False} for form_id in sorted([canary.pk, intake.pk])
    ]
    follow = browser.get(_url(client)).content.decode()
    assert "2 shared. The client was emailed that new forms are waiting." in follow
    assert follow.count(" checked>") == 2

    # Saving again with the same ticks changes nothing and sends nothing.
    browser.post(_url(client), {"form": [str(canary.pk), str(intake.pk)]})
    assert len(_forms_emails(cast.a)) == 1
    assert len(_audit(cast.a, "form.shared")) == 2


def test_no_email_to_a_client_without_portal_access_or_who_refuses_email(
    cast: Cast, assigned: Client, make_client: MakeClient
) -> None:
    intake = starter(cast.a, "intake")
    browser = cast.a.signed_in(cast.a.owner)
    not_invited = make_client(email="not.invited@example.org")
    assert browser.post(_url(not_invited), {"form": str(intake.pk)}).status_code == 302
    assert _shares(cast.a, not_invited) == [(intake.pk, True, "")]

    client = _portal_client(cast, assigned)
    with cast.a.schema():
        PortalAccess.objects.filter(client=client).update(allows_email=False)
    assert browser.post(_url(client), {"form": str(intake.pk)}).status_code == 302
    assert _shares(cast.a, client) == [(intake.pk, True, "")]
    assert _forms_emails(cast.a) == []


def test_unsharing_follows_the_rules_for_unstarted_started_and_submitted_forms(
    cast: Cast, assigned: Client
) -> None:
    client = _portal_client(cast, assigned)
    unstarted, drafted, submitted = (starter(cast.a, k) for k in ("intake", "phq9", "gad7"))
    browser = cast.a.signed_in(cast.a.owner)
    ids = [str(f.pk) for f in (unstarted, drafted, submitted)]
    browser.post(_url(client), {"form": ids})
    submission_make(cast.a, active_share(cast.a, client, drafted), answers={"phq9_1": "1"})
    submission_make(
        cast.a, active_share(cast.a, client, submitted), state=SubmissionState.SUBMITTED
    )
    page = browser.get(_url(client)).content.decode()
    assert "— Not started" in page
    assert "— In progress" in page
    assert "— Completed" in page

    assert browser.post(_url(client), {"form": []}).status_code == 302

    # Unstarted: gone. Started and submitted: kept, marked un-shared.
    assert _shares(cast.a, client) == sorted([(drafted.pk, False, ""), (submitted.pk, False, "")])
    assert sorted((d["form"], d["kept"]) for d in _audit(cast.a, "form.unshared")) == sorted(
        [(unstarted.pk, False), (drafted.pk, True), (submitted.pk, True)]
    )
    page = browser.get(_url(client)).content.decode()
    assert "Un-shared, kept in the portal" in page
    assert "Un-shared (in progress)" in page
    assert "Un-shared (completed)" in page
    assert len(_forms_emails(cast.a)) == 1  # only the first save shared something

    # Sharing a kept form again starts a fresh share beside the kept one.
    browser.post(_url(client), {"form": str(submitted.pk)})
    assert _shares(cast.a, client) == sorted(
        [(drafted.pk, False, ""), (submitted.pk, False, ""), (submitted.pk, True, "")]
    )
    assert len(_forms_emails(cast.a)) == 2


def test_no_form_content_in_any_email(cast: Cast, assigned: Client) -> None:
    """Canary strings in a title, a message and an answer appear in no outbox row at all."""
    client = _portal_client(cast, assigned)
    canary = custom_form(cast.a, title=CANARY_TITLE)
    browser = cast.a.signed_in(cast.a.owner)
    browser.post(_url(client), {"form": str(canary.pk), "message": CANARY_MESSAGE})
    submission_make(
        cast.a,
        active_share(cast.a, client, canary),
        state=SubmissionState.SUBMITTED,
        answers={"hours": 8, "notes": CANARY_ANSWER},
    )
    browser.post(_url(client), {"form": []})
    browser.post(_url(client), {"form": str(canary.pk), "message": CANARY_MESSAGE})
    with cast.a.schema():
        rows = list(OutboundEmail.objects.values_list("subject", "body_text"))
    assert len(rows) >= 3  # the invitation and two "new forms" emails
    for subject, body in rows:
        for canary_text in (CANARY_TITLE, CANARY_MESSAGE, CANARY_ANSWER):
            assert canary_text not in subject
            assert canary_text not in body


def test_an_archived_form_cannot_be_newly_shared_but_can_be_unticked(
    cast: Cast, assigned: Client
) -> None:
    client = _portal_client(cast, assigned)
    form = custom_form(cast.a, title="Soon archived")
    browser = cast.a.signed_in(cast.a.owner)
    browser.post(_url(client), {"form": str(form.pk)})
    with cast.a.schema():
        form_archive(actor=cast.a.owner, form=form)
    page = browser.get(_url(client)).content.decode()
    assert "Soon archived" in page  # still listed (ticked) so that it can be un-ticked
    assert browser.post(_url(client), {"form": []}).status_code == 302
    assert _shares(cast.a, client) == []

    before = (_shares(cast.a, client), len(_forms_emails(cast.a)))
    refused = browser.post(_url(client), {"form": str(form.pk)})
    assert refused.status_code == 200
    assert "One of the ticked forms is archived or no longer exists." in refused.content.decode()
    assert (_shares(cast.a, client), len(_forms_emails(cast.a))) == before


def test_message_length_is_checked(cast: Cast, assigned: Client) -> None:
    intake = starter(cast.a, "intake")
    response = cast.a.signed_in(cast.a.owner).post(
        _url(assigned), {"form": str(intake.pk), "message": "x" * 2001}
    )
    assert "The message can be at most 2000 characters." in response.content.decode()
    assert _shares(cast.a, assigned) == []


def test_roles_admin_and_assigned_clinician_share_strangers_get_404(
    cast: Cast, assigned: Client, unassigned: Client, admin_a: User
) -> None:
    assert cast.a.clinician is not None
    intake = starter(cast.a, "intake")
    for user in (admin_a, cast.a.clinician):
        assert cast.a.signed_in(user).get(_url(assigned)).status_code == 200
    assert (
        cast.a.signed_in(cast.a.clinician).post(_url(assigned), {"form": str(intake.pk)})
    ).status_code == 302
    assert _shares(cast.a, assigned) == [(intake.pk, True, "")]

    clinician = cast.a.signed_in(cast.a.clinician)
    assert clinician.get(_url(unassigned)).status_code == 404
    assert clinician.post(_url(unassigned), {"form": str(intake.pk)}).status_code == 404
    assert cast.a.signed_in(cast.a.client_user).post(_url(unassigned), {}).status_code == 403
    assert _shares(cast.a, unassigned) == []


def test_the_portal_tab_links_to_manage_documentation(cast: Cast, assigned: Client) -> None:
    page = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{assigned.pk}/portal/")
    assert f'href="{_url(assigned)}"' in page.content.decode()
