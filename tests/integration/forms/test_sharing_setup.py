"""The setup wizard's "forms and documents to complete or sign" picker, and onboarding waiting
for every form requested there to be submitted."""

from __future__ import annotations

import pytest

from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import FormShare, FormSubmission, SubmissionState
from tenant_apps.forms.selectors import forms_outstanding_for_onboarding
from tenant_apps.forms.services import client_forms_unshare
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.onboarding.services import onboarding_completion_check
from tests.cast import Cast
from tests.support.forms_builder import active_share, starter, submission_make
from tests.support.forms_fill import EVERY_TYPE, VALID_POST, make_form, submit
from tests.support.invitations import accept, emails, invitation_token

pytestmark = pytest.mark.django_db

DEMOGRAPHICS = {"address_line1": "1 Quiet Lane", "city": "Springfield", "postal_code": "12345"}


def _setup_url(client: Client) -> str:
    return f"/staff/clients/{client.pk}/setup/access/"


def test_the_picker_lists_the_shareable_forms_none_ticked(cast: Cast, assigned: Client) -> None:
    """Nothing is preselected: a requested form holds up onboarding, so staff choose."""
    page = cast.a.signed_in(cast.a.owner).get(_setup_url(assigned)).content.decode()
    assert "Forms and documents to complete or sign" in page
    for key in ("intake", "consent", "release_of_information", "phq9", "gad7", "treatment_plan"):
        form = starter(cast.a, key)
        box = page[page.index(f'name="forms_to_send" value="{form.pk}"') :].split(">", 1)[0]
        assert "checked" not in box, form.title
        assert f">{form.title}</label>" in page


def test_setup_shares_the_ticked_forms_and_onboarding_waits_for_them(
    cast: Cast, assigned: Client
) -> None:
    intake, phq9 = starter(cast.a, "intake"), starter(cast.a, "phq9")
    staff = cast.a.signed_in(cast.a.owner)
    response = staff.post(
        _setup_url(assigned),
        {"collect_demographics": "on", "forms_to_send": [str(intake.pk), str(phq9.pk)]},
    )
    assert response.status_code == 302, response.content
    with cast.a.schema():
        shares = sorted(
            FormShare.objects.filter(client=assigned).values_list("form_id", "requested_in_setup")
        )
        assert OutboundEmail.objects.filter(kind="forms_shared").count() == 0  # invitation only
        assert forms_outstanding_for_onboarding(assigned) == 2
    assert shares == sorted([(intake.pk, True), (phq9.pk, True)])

    browser = accept(cast.a, invitation_token(emails(cast.a, "client_invitation")[-1]))
    assert browser.post("/onboarding/demographics/", DEMOGRAPHICS).status_code == 302
    # Onboarding resumes at the requested forms once the information steps are done.
    assert browser.get("/onboarding/")["Location"] == "/documents/"
    with cast.a.schema():
        access = PortalAccess.objects.get(client=assigned)
        assert access.onboarding_completed_at is None  # two forms still to submit

    submission_make(cast.a, active_share(cast.a, assigned, intake), state=SubmissionState.SUBMITTED)
    submission_make(cast.a, active_share(cast.a, assigned, phq9), state=SubmissionState.DRAFT)
    with cast.a.schema():
        assert forms_outstanding_for_onboarding(assigned) == 1
        assert onboarding_completion_check(actor=None, client=assigned) is False
        FormSubmission.objects.filter(share__form=phq9, share__client=assigned).update(
            state=SubmissionState.SUBMITTED
        )
        assert forms_outstanding_for_onboarding(assigned) == 0
        assert onboarding_completion_check(actor=None, client=assigned) is True
        assert onboarding_completion_check(actor=None, client=assigned) is False
        access.refresh_from_db()
    assert browser.get("/onboarding/")["Location"] == "/"
    with cast.a.schema():
        assert access.onboarding_completed_at is not None
        assert AuditEntry.objects.filter(action="onboarding.completed").count() == 1
        assert OutboundEmail.objects.filter(kind="onboarding_completed").count() >= 1


def test_unsharing_a_setup_form_stops_onboarding_waiting_for_it(
    cast: Cast, assigned: Client
) -> None:
    consent = starter(cast.a, "consent")
    cast.a.signed_in(cast.a.owner).post(
        _setup_url(assigned), {"collect_demographics": "on", "forms_to_send": str(consent.pk)}
    )
    browser = accept(cast.a, invitation_token(emails(cast.a, "client_invitation")[-1]))
    browser.post("/onboarding/demographics/", DEMOGRAPHICS)
    with cast.a.schema():
        assert PortalAccess.objects.get(client=assigned).onboarding_completed_at is None
        client_forms_unshare(actor=cast.a.owner, client=assigned, form_ids=[consent.pk])
        assert forms_outstanding_for_onboarding(assigned) == 0
        assert onboarding_completion_check(actor=None, client=assigned) is True


def test_a_client_asked_for_nothing_in_setup_never_completes_onboarding_by_a_form(
    cast: Cast, assigned: Client
) -> None:
    cast.a.signed_in(cast.a.owner).post(_setup_url(assigned), {})
    accept(cast.a, invitation_token(emails(cast.a, "client_invitation")[-1]))
    with cast.a.schema():
        assert onboarding_completion_check(actor=None, client=assigned) is False
        assert PortalAccess.objects.get(client=assigned).onboarding_completed_at is None


def test_submitting_the_last_setup_form_in_the_portal_completes_onboarding(
    cast: Cast, assigned: Client
) -> None:
    """Forms never imports onboarding: the submission reaches the completion check through
    `form_submitted`, in the submission's transaction, as the client who submitted."""
    form = make_form(cast.a, EVERY_TYPE)
    cast.a.signed_in(cast.a.owner).post(_setup_url(assigned), {"forms_to_send": str(form.pk)})
    browser = accept(cast.a, invitation_token(emails(cast.a, "client_invitation")[-1]))
    form_share = active_share(cast.a, assigned, form)
    assert submit(browser, form_share, VALID_POST).status_code == 302
    with cast.a.schema():
        assert PortalAccess.objects.get(client=assigned).onboarding_completed_at is not None
        completed = AuditEntry.objects.get(action="onboarding.completed")
        assigned.refresh_from_db()
    assert assigned.account_id is not None
    assert completed.actor_id == assigned.account_id
    assert len(emails(cast.a, "onboarding_completed")) >= 1
