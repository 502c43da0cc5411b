"""The form builder pages (`/staff/forms/`): list with empty state, create, edit with the
add/remove/move buttons, server-side validation, archive; role matrix (owners and clinicians
build; admins only see the list; clients nothing), with nothing changed on a refusal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.forms.models import Form, FormVersion
from tests.cast import Cast, PracticeCast
from tests.support.forms_builder import builder_post, custom_form

pytestmark = pytest.mark.django_db


def _state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        return (
            list(Form.objects.order_by("pk").values_list("pk", "title", "is_archived")),
            list(FormVersion.objects.order_by("pk").values_list("pk", "number", "fields")),
            list(AuditEntry.objects.filter(action__startswith="form.").values_list("pk")),
        )


def _audit(practice: PracticeCast, action: str) -> list[tuple[str, dict[str, object]]]:
    with practice.schema():
        return [
            (entry.object_id, entry.detail)
            for entry in AuditEntry.objects.filter(action=action).order_by("pk")
        ]


def test_every_staff_role_sees_the_starter_forms_but_only_editors_get_the_new_button(
    cast: Cast, admin_a: User
) -> None:
    assert cast.a.clinician is not None
    for user, can_edit in ((cast.a.owner, True), (cast.a.clinician, True), (admin_a, False)):
        response = cast.a.signed_in(user).get("/staff/forms/")
        assert response.status_code == 200
        page = response.content.decode()
        for title in ("Intake questionnaire", "PHQ-9 (depression)", "GAD-7 (anxiety)"):
            assert title in page
        assert ('href="/staff/forms/new/"' in page) is can_edit


def test_the_list_has_an_empty_state(cast: Cast) -> None:
    with cast.a.schema():
        Form.objects.all().delete()
    page = cast.a.signed_in(cast.a.owner).get("/staff/forms/").content.decode()
    assert "No forms yet." in page
    assert "Create the first one" in page


def test_admin_and_clients_cannot_build_and_nothing_changes(cast: Cast, admin_a: User) -> None:
    form = custom_form(cast.a)
    before = _state(cast.a)
    body = builder_post("Hijacked", [{"type": "short_text", "label": "Q"}])
    for user, status in ((admin_a, 403), (cast.a.client_user, 403)):
        browser = cast.a.signed_in(user)
        assert browser.get("/staff/forms/new/").status_code == status
        assert browser.post("/staff/forms/new/", body).status_code == status
        assert browser.get(f"/staff/forms/{form.pk}/edit/").status_code == status
        assert browser.post(f"/staff/forms/{form.pk}/edit/", body).status_code == status
        assert browser.post(f"/staff/forms/{form.pk}/archive/").status_code == status
    assert cast.a.signed_in(cast.a.client_user).get("/staff/forms/").status_code == 403
    anonymous = cast.a.http().get("/staff/forms/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/")
    assert _state(cast.a) == before


def test_a_clinician_creates_a_form_with_keys_made_from_the_labels(cast: Cast) -> None:
    assert cast.a.clinician is not None
    browser = cast.a.signed_in(cast.a.clinician)
    body = builder_post(
        "Weekly check-in",
        [
            {"type": "heading", "label": "This week", "help": "Think about the past 7 days."},
            {"type": "single_choice", "label": "Mood", "options": "Low\nOkay\n\nGood\n"},
            {"type": "scale", "label": "Energy", "min": "1", "max": "10", "required": "on"},
            {"type": "signature", "label": "Sign here", "required": "on"},
        ],
    )
    response = browser.post("/staff/forms/new/", body)
    assert response.status_code == 302
    assert response["Location"] == "/staff/forms/"
    with cast.a.schema():
        form = Form.objects.get(title="Weekly check-in")
        assert form.created_by_id == cast.a.clinician.pk
        assert form.kind == "custom"
        version = form.versions.get()
    assert version.number == 1
    assert version.fields == [
        {
            "key": "this_week",
            "type": "heading",
            "label": "This week",
            "help": "Think about the past 7 days.",
            "required": False,
            "options": [],
            "min": None,
            "max": None,
        },
        {
            "key": "mood",
            "type": "single_choice",
            "label": "Mood",
            "help": "",
            "required": False,
            "options": [
                {"value": "o1", "label": "Low", "score": None},
                {"value": "o2", "label": "Okay", "score": None},
                {"value": "o3", "label": "Good", "score": None},
            ],
            "min": None,
            "max": None,
        },
        {
            "key": "energy",
            "type": "scale",
            "label": "Energy",
            "help": "",
            "required": True,
            "options": [],
            "min": 1,
            "max": 10,
        },
        {
            "key": "sign_here",
            "type": "signature",
            "label": "Sign here",
            "help": "",
            "required": True,
            "options": [],
            "min": None,
            "max": None,
        },
    ]
    assert _audit(cast.a, "form.created") == [(str(form.pk), {"version": 1})]


def test_the_edit_buttons_rearrange_without_saving(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    before = _state(cast.a)
    rows = [{"type": "short_text", "label": "First"}, {"type": "long_text", "label": "Second"}]

    moved = browser.post("/staff/forms/new/", builder_post("Draft", rows, op="down-0"))
    page = moved.content.decode()
    assert moved.status_code == 200
    assert page.index('value="Second"') < page.index('value="First"')

    moved_up = browser.post("/staff/forms/new/", builder_post("Draft", rows, op="up-1")).content
    assert moved_up.decode().index('value="Second"') < moved_up.decode().index('value="First"')

    added = browser.post(
        "/staff/forms/new/", {**builder_post("Draft", rows, op="add"), "add_type": "scale"}
    ).content.decode()
    assert 'name="count" value="3"' in added
    assert 'name="f-2-min" type="number" step="1" value="1"' in added

    removed = browser.post("/staff/forms/new/", builder_post("Draft", rows, op="remove-0"))
    assert 'name="count" value="1"' in removed.content.decode()
    assert 'value="First"' not in removed.content.decode()

    # Switching a question's type (htmx posts op=refresh) shows the options box for choices.
    refreshed = browser.post(
        "/staff/forms/new/",
        builder_post("Draft", [{"type": "multiple_choice", "label": "Pick"}], op="refresh"),
    ).content.decode()
    assert 'name="f-0-options"' in refreshed
    assert 'textarea id="f-0-options"' in refreshed
    assert _state(cast.a) == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Add at least one question."),
        ([{"type": "short_text", "label": ""}], "Question 1: the question needs a label."),
        (
            [{"type": "single_choice", "label": "Pick one", "options": "\n \n"}],
            "Question 1: a choice question needs at least one option (one per line).",
        ),
        (
            [{"type": "multiple_choice", "label": "Pick", "options": "Yes\nyes"}],
            "Question 1: the option “yes” is listed twice.",
        ),
        (
            [{"type": "scale", "label": "Rate", "min": "5", "max": "5"}],
            "Question 1: the minimum must be less than the maximum.",
        ),
        ([{"type": "scale", "label": "Rate", "min": "1"}], "a scale needs a minimum and a maximum"),
        (
            [{"type": "number", "label": "Count", "min": "ten"}],
            "minimum and maximum must be whole numbers",
        ),
        (
            [
                {"type": "signature", "label": "Sign"},
                {"type": "signature", "label": "Sign again"},
            ],
            "A form can have only one signature.",
        ),
        (
            [
                {"type": "short_text", "label": "A", "key": "same"},
                {"type": "short_text", "label": "B", "key": "same"},
            ],
            "Question 2: the key “same” is used by another question.",
        ),
        ([{"type": "bogus", "label": "A"}], "Question 1: choose a question type."),
    ],
)
def test_invalid_forms_are_refused_with_a_clear_message(
    cast: Cast, rows: list[dict[str, str]], message: str
) -> None:
    before = _state(cast.a)
    response = cast.a.signed_in(cast.a.owner).post(
        "/staff/forms/new/", builder_post("Checked", rows)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert _state(cast.a) == before


def test_a_missing_title_is_refused(cast: Cast) -> None:
    before = _state(cast.a)
    response = cast.a.signed_in(cast.a.owner).post(
        "/staff/forms/new/", builder_post("  ", [{"type": "short_text", "label": "Q"}])
    )
    assert "The form needs a title." in response.content.decode()
    assert _state(cast.a) == before


def test_saving_through_htmx_redirects_with_a_header(cast: Cast) -> None:
    response = cast.a.signed_in(cast.a.owner).post(
        "/staff/forms/new/",
        builder_post("Via htmx", [{"type": "yes_no", "label": "Ok?"}]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/staff/forms/"
    with cast.a.schema():
        assert Form.objects.filter(title="Via htmx").exists()


def test_edit_page_shows_the_questions_and_saves_in_place_without_submissions(
    cast: Cast,
) -> None:
    form = custom_form(cast.a)
    browser = cast.a.signed_in(cast.a.owner)
    page = browser.get(f"/staff/forms/{form.pk}/edit/").content.decode()
    assert 'value="Hours slept"' in page
    assert "Poor\nGood</textarea>" in page
    body = builder_post(
        "Sleep diary",
        [
            {
                "key": "quality",
                "type": "single_choice",
                "label": "Quality",
                "options": "Good\nPoor",
            },
            {"key": "hours", "type": "number", "label": "Hours asleep", "min": "0", "max": "24"},
        ],
    )
    assert browser.post(f"/staff/forms/{form.pk}/edit/", body).status_code == 302
    with cast.a.schema():
        version = FormVersion.objects.get(form=form)
    assert version.number == 1
    assert [f["key"] for f in version.fields] == ["quality", "hours"]
    # Reordered options keep their values: stored answers still mean the same thing.
    assert version.fields[0]["options"] == [
        {"value": "o2", "label": "Good", "score": None},
        {"value": "o1", "label": "Poor", "score": None},
    ]
    assert _audit(cast.a, "form.edited") == [
        (str(form.pk), {"version": 1, "new_version": False, "fields_changed": True})
    ]


def test_archive_hides_the_form_blocks_editing_and_can_be_undone(cast: Cast) -> None:
    form = custom_form(cast.a, title="Old paperwork")
    browser = cast.a.signed_in(cast.a.owner)
    assert browser.post(f"/staff/forms/{form.pk}/archive/").status_code == 302
    assert "Old paperwork" not in browser.get("/staff/forms/").content.decode()
    assert "Old paperwork" in browser.get("/staff/forms/?archived=1").content.decode()
    edit = browser.get(f"/staff/forms/{form.pk}/edit/")
    assert edit.status_code == 302
    assert _audit(cast.a, "form.archived") == [(str(form.pk), {})]
    assert browser.post(f"/staff/forms/{form.pk}/unarchive/").status_code == 302
    with cast.a.schema():
        assert Form.objects.get(pk=form.pk).is_archived is False
    assert _audit(cast.a, "form.unarchived") == [(str(form.pk), {})]


def test_a_missing_form_is_a_404(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    assert browser.get("/staff/forms/999999/edit/").status_code == 404
    assert browser.post("/staff/forms/999999/archive/").status_code == 404


def test_the_list_costs_the_same_queries_however_many_forms_there_are(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.owner)
    browser.get("/staff/forms/")  # warm the settings and session caches
    counts = []
    for extra in (0, 5):
        for n in range(extra):
            custom_form(cast.a, title=f"Extra form {n}")
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/staff/forms/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
