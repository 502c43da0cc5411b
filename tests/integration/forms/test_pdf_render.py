"""PDFs of completed forms: the client downloads their own, staff download from the submission
page; attachments named by id, never cached, audited; any script the client typed renders
without a single character of it reaching the logs."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader

from tenant_apps.audit.models import AuditEntry
from tenant_apps.forms.pdf import _Document
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
    share,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_the_client_downloads_their_completed_form(cast: Cast) -> None:
    client = portal_client(cast.a)
    submission = submitted(cast.a, client, make_form(cast.a, EVERY_TYPE), VALID_POST)
    response = client_browser(cast.a).get(f"/documents/forms/{submission.share_id}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="form-{submission.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert b"/Count 1" in response.content  # one page
    with cast.a.schema():
        audit = AuditEntry.objects.get(action="form.downloaded")
    assert (audit.actor_id, audit.object_id, audit.detail) == (
        cast.a.client_user.pk,
        str(submission.pk),
        {"format": "pdf", "by": "client"},
    )


def test_a_draft_has_no_pdf_yet(cast: Cast) -> None:
    client = portal_client(cast.a)
    form_share = share(cast.a, client, make_form(cast.a, EVERY_TYPE))
    browser = client_browser(cast.a)
    save_draft(browser, form_share, {"a-name": "Sam"})
    response = browser.get(f"/documents/forms/{form_share.pk}/pdf/")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/forms/{form_share.pk}/"
    with cast.a.schema():
        assert not AuditEntry.objects.filter(action="form.downloaded").exists()


def test_staff_download_the_pdf_from_the_submission_page(cast: Cast) -> None:
    client = portal_client(cast.a)
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
    staff = cast.a.signed_in(cast.a.owner)
    page = staff.get(f"/staff/clients/{client.pk}/forms/{submission.pk}/").content.decode()
    assert f'href="/staff/clients/{client.pk}/forms/{submission.pk}/pdf/"' in page
    response = staff.get(f"/staff/clients/{client.pk}/forms/{submission.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="form-{submission.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert b"/Subtype /Image" in response.content  # the drawn signature
    with cast.a.schema():
        audit = AuditEntry.objects.get(action="form.downloaded")
    assert (audit.actor_id, audit.detail["by"]) == (cast.a.owner.pk, "staff")


def test_any_script_renders_and_no_character_reaches_the_logs(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    fields = [{"key": "note", "type": "long_text", "label": "Notes", "required": True}]
    typed = "Zoë — Ελληνικά — Кириллица — 東京 — 🙂 " + "x" * 300
    client = portal_client(cast.a)
    submission = submitted(cast.a, client, make_form(cast.a, fields), {"a-note": typed})
    with caplog.at_level(logging.DEBUG):
        response = client_browser(cast.a).get(f"/documents/forms/{submission.share_id}/pdf/")
    assert response.status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for piece in ("Zoë", "Ελληνικά", "東", "🙂", "missing the following glyphs"):
        assert piece not in logged


def test_characters_the_font_lacks_become_question_marks() -> None:
    document = _Document(footer_text="Practice")
    document.use()
    assert document.safe("Zoë Ελληνικά 東🙂") == "Zoë Ελληνικά ??"
    assert document.safe("line\nbreak") == "line\nbreak"


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_headings_questions_and_answers_are_in_the_pdf(cast: Cast) -> None:
    client = portal_client(cast.a)
    submission = submitted(cast.a, client, make_form(cast.a, EVERY_TYPE), VALID_POST)
    text = pdf_text(
        client_browser(cast.a).get(f"/documents/forms/{submission.share_id}/pdf/").content
    )
    for expected in (
        "Practice A",
        "Getting to know you",
        "Version 1",
        "About you",
        "Take your time.",
        "Preferred name Sam",
        "Best way to reach you Email",
        "Topics Mood, Sleep",
        "Date of birth 1990-04-01",
        "Hours of sleep 6.5",
        "Mood today 4 (on a scale from 1 to 5)",
        "Seen a therapist before? No",
        "Page 1 of 1",
    ):
        assert expected in text, expected


def test_scores_and_the_signature_are_in_the_pdf(cast: Cast) -> None:
    fields = [
        {
            "key": "q",
            "type": "single_choice",
            "label": "How often?",
            "required": True,
            "options": [
                {"value": "0", "label": "Never", "score": 0},
                {"value": "3", "label": "Always", "score": 3},
            ],
        },
        SIGNATURE_FIELD,
    ]
    scoring = {"method": "sum", "keys": ["q"], "bands": [{"min": 0, "max": 3, "label": "Low"}]}
    client = portal_client(cast.a)
    submission = submitted(
        cast.a,
        client,
        make_form(cast.a, fields, scoring=scoring),
        {"a-q": "3", "signature-typed-name": "Quinn Clientworth", "signature-confirm": "1"},
    )
    text = pdf_text(
        client_browser(cast.a).get(f"/documents/forms/{submission.share_id}/pdf/").content
    )
    assert "Score 3 — Low" in text
    assert "How often? Always" in text
    assert "Signed by (typed name) Quinn Clientworth" in text
    assert "The signer confirmed the typed name as their signature." in text
