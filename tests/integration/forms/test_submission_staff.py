"""Staff reading submissions: the client's Forms tab, a submission shown with the version the
client saw (also after the form was edited), the API, role rules (admin staff never read answers;
a clinician only their own clients'), an audit row for every view and download, and no answer
in any email, notification or audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.models import User
from tenant_apps.accounts.api_tokens import api_token_issue
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import FormSubmission
from tenant_apps.forms.services import form_update
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.staff_notifications.models import StaffNotification
from tests.cast import Cast
from tests.support.forms_fill import (
    EVERY_TYPE,
    SIGNATURE_FIELD,
    VALID_POST,
    client_browser,
    make_form,
    png_data_url,
    portal_client,
    save_draft,
    second_portal_client,
    share,
    starter_form,
    submitted,
)

pytestmark = pytest.mark.django_db


def _fresh_client(cast: Cast, clinician: User | None = None) -> Client:
    """A new client with their own portal account (several per test)."""
    with cast.a.schema():
        number = Client.objects.count()
    return second_portal_client(cast.a, f"client{number}@example.org", clinician=clinician)


def _phq9(cast: Cast, clinician: User | None = None) -> tuple[Client, FormSubmission]:
    client = _fresh_client(cast, clinician)
    data = {f"a-phq9_{n}": "2" for n in range(1, 10)}
    return client, submitted(cast.a, client, starter_form(cast.a, "phq9"), data)


def _audit(cast: Cast, action: str) -> list[tuple[int | None, str]]:
    with cast.a.schema():
        return list(
            AuditEntry.objects.filter(action=action)
            .order_by("pk")
            .values_list("actor_id", "object_id")
        )


# --- Forms tab and detail -------------------------------------------------------------------------
def test_forms_tab_lists_states_scores_bands_and_the_item_9_flag(cast: Cast) -> None:
    client, submission = _phq9(cast)
    client_id = client.pk
    waiting = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Not yet"))
    started = share(cast.a, client, make_form(cast.a, EVERY_TYPE, title="Begun"))
    drafted = save_draft(client_browser(cast.a, client.account), started, {"a-name": "Sam"})
    assert drafted.status_code == 200

    response = cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{client_id}/forms/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "PHQ-9" in page
    assert f'href="/staff/clients/{client_id}/forms/{submission.pk}/"' in page
    assert "18 — Moderately severe" in page
    assert "Self-harm item (item 9) answered above 0" in page
    assert "Not yet" in page
    assert "Not started" in page
    assert "Begun" in page
    assert "In progress" in page
    assert waiting.pk  # listed, with no link (nothing to read)
    assert _audit(cast, "form.listed") == [(cast.a.owner.pk, str(client_id))]


def test_forms_tab_is_linked_from_the_client_page_for_owner_and_clinician_only(
    cast: Cast, admin_a: User
) -> None:
    client = portal_client(cast.a, clinician=cast.a.clinician)
    link = f'href="/staff/clients/{client.pk}/forms/"'
    assert (
        link in cast.a.signed_in(cast.a.owner).get(f"/staff/clients/{client.pk}/").content.decode()
    )
    assert cast.a.clinician is not None
    clinician_page = cast.a.signed_in(cast.a.clinician).get(f"/staff/clients/{client.pk}/")
    assert link in clinician_page.content.decode()
    admin_page = cast.a.signed_in(admin_a).get(f"/staff/clients/{client.pk}/")
    assert admin_page.status_code == 200
    assert link not in admin_page.content.decode()


def test_submission_page_shows_answers_and_is_audited(cast: Cast) -> None:
    client = portal_client(cast.a)
    submission = submitted(cast.a, client, make_form(cast.a, EVERY_TYPE), VALID_POST)
    response = cast.a.signed_in(cast.a.owner).get(
        f"/staff/clients/{client.pk}/forms/{submission.pk}/"
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert "<dt><strong>Preferred name</strong></dt><dd>Sam</dd>" in page
    assert "<dd>Mood, Sleep</dd>" in page
    assert "<h3>About you</h3>" in page
    assert "Not signed" in page
    assert _audit(cast, "form.viewed") == [(cast.a.owner.pk, str(submission.pk))]


def test_an_old_submission_renders_with_its_own_version_after_an_edit(cast: Cast) -> None:
    client = portal_client(cast.a)
    form = make_form(cast.a, EVERY_TYPE)
    old = submitted(cast.a, client, form, VALID_POST)
    edited = [
        {**spec, "label": "Name you go by"} if spec["key"] == "name" else spec
        for spec in EVERY_TYPE
        if spec["key"] != "story"
    ]
    with cast.a.schema():
        saved = form_update(
            actor=cast.a.owner, form=form, title=form.title, description="", fields=edited
        )
    assert saved.new_version
    assert saved.version.number == 2

    staff = cast.a.signed_in(cast.a.owner)
    page = staff.get(f"/staff/clients/{client.pk}/forms/{old.pk}/").content.decode()
    assert "<dt><strong>Preferred name</strong></dt><dd>Sam</dd>" in page
    assert "What brings you here?" in page
    assert "Trouble sleeping" in page
    assert "Name you go by" not in page
    assert "Version 1" in page
    assert "this is the version the client saw" in page

    # Another client starting the edited form fills version 2.
    newcomer = second_portal_client(cast.a)
    assert newcomer.account is not None
    again = share(cast.a, newcomer, form)
    save_draft(client_browser(cast.a, newcomer.account), again, {"a-name": "Sam"})
    with cast.a.schema():
        assert FormSubmission.objects.get(share=again).version_id == saved.version.pk
    fill_page = client_browser(cast.a, newcomer.account).get(f"/documents/forms/{again.pk}/")
    fill = fill_page.content.decode()
    assert "Name you go by" in fill
    assert "What brings you here?" not in fill


def test_drafts_are_not_readable_by_staff(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    save_draft(client_browser(cast.a), form_share, {"a-name": "Secret draft"})
    with cast.a.schema():
        draft = FormSubmission.objects.get(share=form_share)
    staff = cast.a.signed_in(cast.a.owner)
    assert staff.get(f"/staff/clients/{client.pk}/forms/{draft.pk}/").status_code == 404
    assert staff.get(f"/api/v1/submissions/{draft.pk}/").status_code == 404
    assert b"Secret draft" not in staff.get(f"/staff/clients/{client.pk}/forms/").content


# --- Roles ----------------------------------------------------------------------------------------
def _staff_routes(client_id: int, submission_id: int) -> list[tuple[str, str]]:
    base = f"/staff/clients/{client_id}/forms"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/{submission_id}/"),
        ("get", f"{base}/{submission_id}/pdf/"),
        ("get", f"{base}/{submission_id}/signature/"),
        ("get", f"{base}/{submission_id}/signature/pdf/"),
        ("post", f"{base}/{submission_id}/signature/verify/"),
        ("get", "/api/v1/submissions/"),
        ("get", f"/api/v1/submissions/{submission_id}/"),
        ("get", f"/api/v1/submissions/{submission_id}/pdf/"),
    ]


def _signed_submission(cast: Cast, clinician: User | None) -> tuple[int, FormSubmission]:
    client = _fresh_client(cast, clinician)
    submission = submitted(
        cast.a,
        client,
        make_form(cast.a, [*EVERY_TYPE, SIGNATURE_FIELD]),
        {
            **VALID_POST,
            "signature-typed-name": "Quinn Clientworth",
            "signature-drawn": png_data_url(),
        },
    )
    return client.pk, submission


def _audit_count(cast: Cast) -> int:
    with cast.a.schema():
        return AuditEntry.objects.count()


def test_admin_staff_cannot_read_answers_by_page_api_or_token(cast: Cast, admin_a: User) -> None:
    client_id, submission = _signed_submission(cast, cast.a.clinician)
    before = _audit_count(cast)
    browser = cast.a.signed_in(admin_a)
    for method, path in _staff_routes(client_id, submission.pk):
        response = getattr(browser, method)(path)
        assert response.status_code == 403, path
        assert b"Sam" not in response.content
        assert b"Quinn" not in response.content
    with cast.a.schema():
        token = api_token_issue(actor=admin_a, name="front desk")
    api = cast.a.http()
    for path in ("/api/v1/submissions/", f"/api/v1/submissions/{submission.pk}/"):
        response = api.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 403, path
    assert _audit_count(cast) == before + 1  # only the token's creation


def test_a_clinician_reads_only_their_own_clients_submissions(cast: Cast) -> None:
    assert cast.a.clinician is not None
    theirs_client, theirs = _signed_submission(cast, cast.a.clinician)
    other_client, other = _signed_submission(cast, None)
    browser = cast.a.signed_in(cast.a.clinician)
    before = _audit_count(cast)
    for method, path in _staff_routes(other_client, other.pk):
        if path == "/api/v1/submissions/":
            continue
        assert getattr(browser, method)(path).status_code == 404, path
    # Another client's submission under the clinician's own client's address: still 404.
    assert browser.get(f"/staff/clients/{theirs_client}/forms/{other.pk}/").status_code == 404
    assert _audit_count(cast) == before
    listed = browser.get("/api/v1/submissions/").json()
    assert [row["id"] for row in listed["results"]] == [theirs.pk]
    for method, path in _staff_routes(theirs_client, theirs.pk):
        expected = 302 if method == "post" else 200
        assert getattr(browser, method)(path).status_code == expected, path


# --- Audit on every view and download ----------------------------------------------------------
def test_every_staff_view_and_download_writes_an_audit_row(cast: Cast) -> None:
    client_id, submission = _signed_submission(cast, None)
    with cast.a.schema():
        mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    staff = cast.a.signed_in(cast.a.owner)
    for method, path in _staff_routes(client_id, submission.pk):
        expected = 302 if method == "post" else 200
        assert getattr(staff, method)(path).status_code == expected, path
    with cast.a.schema():
        actions = list(
            AuditEntry.objects.filter(pk__gt=mark)
            .order_by("pk")
            .values_list("action", "actor_id", "ip")
        )
    assert [action for action, _, _ in actions] == [
        "form.listed",
        "form.viewed",
        "form.downloaded",
        "signature.viewed",
        "signature.downloaded",
        "signature.verified",
        "form.listed",
        "form.viewed",
        "form.downloaded",
    ]
    assert {actor for _, actor, _ in actions} == {cast.a.owner.pk}
    assert {ip for _, _, ip in actions} == {"127.0.0.1"}


# --- API ------------------------------------------------------------------------------------------
def test_api_lists_retrieves_and_downloads(cast: Cast) -> None:
    client_id, submission = _signed_submission(cast, None)
    api = cast.a.signed_in(cast.a.owner)
    listed = api.get(f"/api/v1/submissions/?client_id={client_id}").json()
    assert listed["count"] == 1
    row: dict[str, Any] = listed["results"][0]
    assert row["id"] == submission.pk
    assert row["client_id"] == client_id
    assert row["version_number"] == 1
    assert "answers" not in row

    detail = api.get(f"/api/v1/submissions/{submission.pk}/").json()
    assert detail["answers"]["name"] == "Sam"
    assert detail["answers"]["topics"] == ["mood", "sleep"]
    assert [q["key"] for q in detail["questions"]][:2] == ["intro", "name"]
    assert detail["signature"]["typed_name"] == "Quinn Clientworth"
    assert detail["signature"]["has_drawn_signature"] is True
    assert len(detail["signature"]["answers_sha256"]) == 64

    pdf = api.get(f"/api/v1/submissions/{submission.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == f'attachment; filename="form-{submission.pk}.pdf"'
    assert pdf.content.startswith(b"%PDF-")
    missing = api.get("/api/v1/submissions/999999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404


def test_api_list_takes_a_fixed_number_of_queries(cast: Cast) -> None:
    for _ in range(2):
        _phq9(cast)
    api = cast.a.signed_in(cast.a.owner)
    with CaptureQueriesContext(connection) as two:
        assert api.get("/api/v1/submissions/").json()["count"] == 2
    for _ in range(3):
        _phq9(cast)
    with CaptureQueriesContext(connection) as five:
        assert api.get("/api/v1/submissions/").json()["count"] == 5
    assert len(five) == len(two)


# --- No answers outside the answers ---------------------------------------------------------------
def test_no_answer_appears_in_any_email_notification_or_audit_row(cast: Cast) -> None:
    canary = "CANARY-7f3e-answer"
    fields = [
        {"key": "secret", "type": "short_text", "label": "Tell us", "required": True},
        SIGNATURE_FIELD,
    ]
    assert cast.a.clinician is not None
    client = portal_client(cast.a, clinician=cast.a.clinician, onboarded=False)
    form = make_form(cast.a, fields)
    form_share = share(cast.a, client, form, requested_in_setup=True)
    browser = client_browser(cast.a)
    save_draft(browser, form_share, {"a-secret": canary})
    response = browser.post(
        f"/documents/forms/{form_share.pk}/",
        {"a-secret": canary, "signature-typed-name": f"{canary} name", "signature-confirm": "1"},
    )
    assert response.status_code == 302
    with cast.a.schema():
        emails = list(OutboundEmail.objects.all())
        notifications = list(StaffNotification.objects.values_list("link", flat=True))
        audit = list(AuditEntry.objects.values_list("detail", "object_id"))
    assert emails  # onboarding completed: the owner and the clinician get an email
    for email in emails:
        for text in (email.subject, email.body_text, str(getattr(email, "body_html", ""))):
            assert canary not in text
            assert "Tell us" not in text
    assert notifications
    assert all(canary not in link for link in notifications)
    assert all(canary not in repr(row) for row in audit)
