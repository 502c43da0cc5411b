"""Portal > Documents & forms: the lists, filling every field type, drafts saved as the client
goes (and restored on reload), server-side validation, submitting (score, audit, staff
notification, onboarding), and a submitted form staying as it was."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tenant_apps.audit.models import AuditEntry
from tenant_apps.forms.models import FormShare, FormSubmission, FormVersion, SubmissionState
from tenant_apps.invitations.models import PortalAccess
from tenant_apps.staff_notifications.models import StaffNotification, StaffNotificationKind
from tests.cast import Cast
from tests.support.forms_fill import (
    EVERY_TYPE,
    VALID_ANSWERS,
    VALID_POST,
    client_browser,
    make_form,
    portal_client,
    save_draft,
    second_portal_client,
    share,
    starter_form,
    submission_of,
    submit,
)

pytestmark = pytest.mark.django_db


def _phq9_post(item_score: str = "1", item9: str = "0") -> dict[str, str]:
    data = {f"a-phq9_{n}": item_score for n in range(1, 9)}
    data["a-phq9_9"] = item9
    return data


# --- Lists ----------------------------------------------------------------------------------------
def test_the_client_home_lists_the_forms_to_complete_until_they_are_submitted(cast: Cast) -> None:
    client = portal_client(cast.a)
    browser = client_browser(cast.a)
    todo = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Home intake form"))

    home = browser.get("/").content.decode()
    assert "Needs your attention" in home
    assert f'href="/documents/forms/{todo.pk}/">Home intake form</a>' in home

    assert submit(browser, todo, VALID_POST).status_code == 302
    home = browser.get("/").content.decode()
    assert f'href="/documents/forms/{todo.pk}/"' not in home
    assert "Nothing needs your attention right now." in home


def test_documents_page_lists_to_complete_and_completed_with_empty_states(cast: Cast) -> None:
    client = portal_client(cast.a)
    browser = client_browser(cast.a)

    empty = browser.get("/documents/")
    assert empty.status_code == 200
    assert empty["Cache-Control"].startswith("max-age=0")
    assert b"Nothing to complete right now." in empty.content
    assert b"You have not completed any forms yet." in empty.content

    todo = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Intake form"))
    done = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Second form"))
    assert submit(browser, done, VALID_POST).status_code == 302

    page = browser.get("/documents/").content.decode()
    assert "Thank you: “Second form” is submitted." in page
    to_complete, completed = page.split('id="to-complete-title"')[1].split('id="completed-title"')
    assert f'href="/documents/forms/{todo.pk}/"' in to_complete
    assert "Intake form" in to_complete
    assert "Not started" in to_complete
    assert "Second form" in completed
    assert f"/documents/forms/{done.pk}/pdf/" in completed
    assert "Second form" not in to_complete
    assert "Documents &amp; forms" in page  # the tab in the portal navigation
    assert 'href="/documents/" aria-current="page">Forms</a>' in page  # the sub-navigation
    assert 'href="/documents/shared/"' in page
    assert 'href="/documents/uploads/"' not in page  # client uploads are off for this client


def test_unshared_forms_disappear_unless_started_and_then_are_marked(cast: Cast) -> None:
    client = portal_client(cast.a)
    browser = client_browser(cast.a)
    unstarted = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Never opened"))
    started = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Half done"))
    assert save_draft(browser, started, {"a-name": "Sam"}).status_code == 200
    with cast.a.schema():
        FormShare.objects.filter(pk__in=[unstarted.pk, started.pk]).update(
            unshared_at=timezone.now()
        )

    page = browser.get("/documents/").content.decode()
    assert "Never opened" not in page
    assert "Half done" in page
    assert "No longer requested by Practice A" in page
    assert browser.get(f"/documents/forms/{unstarted.pk}/").status_code == 404
    resumed = browser.get(f"/documents/forms/{started.pk}/").content.decode()
    assert "no longer requests this form" in resumed
    assert 'value="Sam"' in resumed


# --- Rendering ------------------------------------------------------------------------------------
def test_every_field_type_renders_with_labels_fieldsets_and_headings(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    page = client_browser(cast.a).get(f"/documents/forms/{form_share.pk}/").content.decode()

    assert "<h2>About you</h2>" in page
    assert "Take your time." in page
    # Text, long text, date and number: a <label for> naming its input.
    for index, tag in ((1, "input"), (2, "textarea"), (5, "input"), (6, "input")):
        assert f'<label for="q{index}">' in page
        assert re.search(rf'<{tag} [^>]*id="q{index}"', page), index
    assert re.search(r'<input type="date" name="a-born" id="q5"', page)
    # Choices, yes/no and scale: a fieldset with a legend; every option labelled.
    for label in ("Best way to reach you", "Topics", "Mood today", "Seen a therapist before?"):
        assert re.search(rf"<legend>{re.escape(label)}", page), label
    assert '<label for="q4-1" class="choice"><input type="checkbox" name="a-topics"' in page
    assert page.count('name="a-mood"') == 5  # 1..5
    assert 'name="a-before" id="q8-0" value="yes"' in page
    assert "(required)" in page
    # Drafts: htmx posts the form on change to the draft endpoint; a visible status.
    assert f'hx-post="/documents/forms/{form_share.pk}/draft/"' in page
    assert 'hx-trigger="change delay:500ms' in page
    assert 'id="draft-status" role="status"' in page
    assert "<script>" not in page
    assert " onclick=" not in page


# --- Drafts ---------------------------------------------------------------------------------------
def test_drafts_are_saved_as_the_client_goes_and_restored_on_reload(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    browser = client_browser(cast.a)

    saved = save_draft(browser, form_share, {"a-name": "Sa", "a-topics": ["work"]})
    assert saved.status_code == 200
    assert saved.content.decode().startswith("Draft saved at ")
    again = save_draft(
        browser,
        form_share,
        {**VALID_POST, "a-hours": "not a number", "a-topics": ["work", "bogus"]},
    )
    assert again.status_code == 200

    submission = submission_of(cast.a, form_share)
    assert submission is not None
    assert submission.state == SubmissionState.DRAFT
    assert submission.answers["hours"] == "not a number"  # as typed: a draft is not validated
    assert submission.answers["topics"] == ["work"]

    # A new browser (the tab was closed): every answer is back.
    page = client_browser(cast.a).get(f"/documents/forms/{form_share.pk}/").content.decode()
    assert 'name="a-name" id="q1" value="Sam"' in page
    assert ">Trouble sleeping</textarea>" in page
    assert 'id="q3-1" value="email" checked' in page
    assert 'id="q4-2" value="work" checked' in page
    assert 'value="1990-04-01"' in page
    assert 'value="not a number"' in page
    assert 'id="q7-3" value="4" checked' in page
    assert 'id="q8-1" value="no" checked' in page
    assert "Draft saved at" in page
    with cast.a.schema():
        actions = list(
            AuditEntry.objects.filter(object_type="form_submission").values_list(
                "action", flat=True
            )
        )
    assert actions == ["form.started"]  # one row when starting, none per keystroke


def test_save_draft_button_without_script_redirects_back(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    response = client_browser(cast.a).post(
        f"/documents/forms/{form_share.pk}/draft/", {"a-name": "Sam"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/forms/{form_share.pk}/"


def test_the_version_seen_is_fixed_at_the_first_save(cast: Cast) -> None:
    client = portal_client(cast.a)
    form = make_form(cast.a, EVERY_TYPE)
    form_share = share(cast.a, client, form)
    with cast.a.schema():
        first = FormVersion.objects.get(form=form)
        # The form is edited while the client has the page open.
        FormVersion.objects.create(form=form, number=2, fields=EVERY_TYPE[:2])
    browser = client_browser(cast.a)
    save_draft(browser, form_share, {"a-name": "Sam", "version": str(first.pk)})
    submission = submission_of(cast.a, form_share)
    assert submission is not None
    assert submission.version_id == first.pk


# --- Validation -----------------------------------------------------------------------------------
def test_submit_validates_on_the_server_with_a_message_per_field(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    browser = client_browser(cast.a)
    bad = {
        "a-story": "kept",
        "a-contact": "fax",
        "a-born": "31/12/1990",
        "a-hours": "25",
        "a-mood": "9",
        "a-before": "maybe",
    }
    response = submit(browser, form_share, bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There are 7 problems with your answers" in page
    for message in (
        "Preferred name: This question needs an answer.",
        "Best way to reach you: Choose one of the options shown.",
        "Topics: Choose at least one option.",
        "Date of birth: Enter a date as YYYY-MM-DD, for example 2024-03-31.",
        "Hours of sleep: Enter a number from 0 to 24.",
        "Mood today: Choose a whole number from 1 to 5.",
        "Seen a therapist before?: Choose one of the options shown.",
    ):
        assert message in page, message
    assert 'aria-invalid="true"' in page
    assert 'id="q1-error"' in page
    assert ">kept</textarea>" in page  # nothing typed is lost
    submission = submission_of(cast.a, form_share)
    assert submission is not None
    assert submission.state == SubmissionState.DRAFT
    assert submission.answers["story"] == "kept"
    with cast.a.schema():
        assert not AuditEntry.objects.filter(action="form.submitted").exists()
        assert not StaffNotification.objects.exists()


def test_number_message_names_a_one_sided_bound(cast: Cast) -> None:
    fields = [{"key": "n", "type": "number", "label": "Count", "min": 1, "required": True}]
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, fields))
    browser = client_browser(cast.a)
    assert (
        "Enter a number of at least 1."
        in submit(browser, form_share, {"a-n": "0"}).content.decode()
    )
    assert (
        "Enter a number, for example"
        in submit(browser, form_share, {"a-n": "lots"}).content.decode()
    )


# --- Submitting -----------------------------------------------------------------------------------
def test_submit_stores_typed_answers_audits_and_notifies_staff(cast: Cast) -> None:
    assert cast.a.clinician is not None
    client = portal_client(cast.a, clinician=cast.a.clinician)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    response = submit(client_browser(cast.a), form_share, VALID_POST)
    assert response.status_code == 302
    assert response["Location"] == "/documents/"

    submission = submission_of(cast.a, form_share)
    assert submission is not None
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.submitted_at is not None
    assert submission.answers == VALID_ANSWERS
    assert submission.score is None
    with cast.a.schema():
        audit = AuditEntry.objects.get(action="form.submitted")
        notified = list(
            StaffNotification.objects.order_by("recipient_id").values_list(
                "recipient_id", "kind", "client_id", "link"
            )
        )
    assert audit.object_id == str(submission.pk)
    assert audit.actor_id == cast.a.client_user.pk
    assert audit.detail == {
        "share_id": form_share.pk,
        "form_id": form_share.form_id,
        "version_id": submission.version_id,
        "answered": 8,
        "signed": False,
        "scored": False,
    }
    link = f"/staff/clients/{client.pk}/forms/{submission.pk}/"
    assert notified == sorted(
        [
            (cast.a.owner.pk, StaffNotificationKind.FORM_COMPLETED, client.pk, link),
            (cast.a.clinician.pk, StaffNotificationKind.FORM_COMPLETED, client.pk, link),
        ]
    )


def test_phq9_submission_is_scored_with_band_and_item_9_flag(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, starter_form(cast.a, "phq9"))
    response = submit(client_browser(cast.a), form_share, _phq9_post("1", item9="2"))
    assert response.status_code == 302
    submission = submission_of(cast.a, form_share)
    assert submission is not None
    assert (submission.score, submission.severity) == (10, "Moderate")
    assert submission.flags == ["Self-harm item (item 9) answered above 0"]


def test_submitting_the_last_setup_form_completes_onboarding(cast: Cast) -> None:
    client = portal_client(cast.a, onboarded=False)
    form_share = share(cast.a, client, starter_form(cast.a, "gad7"), requested_in_setup=True)
    data = {f"a-gad7_{n}": "0" for n in range(1, 8)}
    assert submit(client_browser(cast.a), form_share, data).status_code == 302
    with cast.a.schema():
        access = PortalAccess.objects.get(client=client)
        assert access.onboarding_completed_at is not None
        assert AuditEntry.objects.filter(action="onboarding.completed").count() == 1


def test_a_submitted_form_cannot_be_changed(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    browser = client_browser(cast.a)
    assert submit(browser, form_share, VALID_POST).status_code == 302
    with cast.a.schema():
        before = FormSubmission.objects.filter(share=form_share).values().get()
        audit_before = AuditEntry.objects.count()

    changed = {**VALID_POST, "a-name": "Changed"}
    draft = save_draft(browser, form_share, changed)
    assert draft.status_code == 409
    assert b"already submitted" in draft.content
    again = submit(browser, form_share, changed)
    assert again.status_code == 302
    assert again["Location"] == f"/documents/forms/{form_share.pk}/"
    with cast.a.schema():
        assert FormSubmission.objects.filter(share=form_share).values().get() == before
        assert AuditEntry.objects.count() == audit_before

    page = browser.get(f"/documents/forms/{form_share.pk}/").content.decode()
    assert "A submitted form can&#x27;t be changed." in page or "can't be changed" in page
    assert "<dt>Preferred name</dt><dd>Sam</dd>" in page
    assert "<dd>Mood, Sleep</dd>" in page
    assert '<form method="post" action="/documents/forms/' not in page


# --- Who may fill ---------------------------------------------------------------------------------
def test_another_client_of_the_practice_gets_404_and_changes_nothing(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    browser = client_browser(cast.a)
    save_draft(browser, form_share, {"a-name": "Mine"})
    other = second_portal_client(cast.a)
    assert other.account is not None
    intruder = client_browser(cast.a, other.account)
    with cast.a.schema():
        before = list(FormSubmission.objects.values())

    assert intruder.get(f"/documents/forms/{form_share.pk}/").status_code == 404
    assert save_draft(intruder, form_share, {"a-name": "Theirs"}).status_code == 404
    assert submit(intruder, form_share, VALID_POST).status_code == 404
    assert intruder.get(f"/documents/forms/{form_share.pk}/pdf/").status_code == 404
    listing = intruder.get("/documents/").content.decode()
    assert "Getting to know you" not in listing
    with cast.a.schema():
        assert list(FormSubmission.objects.values()) == before


def test_staff_and_visitors_have_no_client_forms_page(cast: Cast) -> None:
    assert cast.a.signed_in(cast.a.owner).get("/documents/").status_code == 403
    anonymous = cast.a.http().get("/documents/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/")
