"""Versioning: a version any client has started is frozen; saving changed questions then makes
version number + 1, and the old submission keeps pointing at (and rendering with) its own
version. Scored starters keep their option values and scores through edits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.audit.models import AuditEntry
from tenant_apps.forms.models import FormShare, FormSubmission, FormVersion, SubmissionState
from tenant_apps.forms.services import client_forms_share, form_update
from tests.cast import Cast
from tests.support.clients import MakeClient
from tests.support.forms_builder import (
    active_share,
    builder_post,
    custom_form,
    starter,
    submission_make,
)

pytestmark = pytest.mark.django_db


def _shared_and_started(cast: Cast, make_client: MakeClient, form_id: int) -> FormSubmission:
    client = make_client(email="versioned@example.org")
    with cast.a.schema():
        client_forms_share(actor=cast.a.owner, client=client, form_ids=[form_id], notify=False)
        share = FormShare.objects.get(client=client, form_id=form_id)
    return submission_make(
        cast.a, share, state=SubmissionState.SUBMITTED, answers={"hours": 7, "quality": "o2"}
    )


def test_editing_a_form_with_a_submission_creates_a_new_version(
    cast: Cast, make_client: MakeClient
) -> None:
    form = custom_form(cast.a)
    submission = _shared_and_started(cast, make_client, form.pk)
    with cast.a.schema():
        v1_fields = FormVersion.objects.get(form=form, number=1).fields

    body = builder_post(
        "Sleep diary",
        [
            {"key": "hours", "type": "number", "label": "Hours slept", "min": "0", "max": "24"},
            {
                "key": "quality",
                "type": "single_choice",
                "label": "Quality",
                "options": "Poor\nGood",
            },
            {"type": "long_text", "label": "Dreams"},
        ],
    )
    response = cast.a.signed_in(cast.a.owner).post(f"/staff/forms/{form.pk}/edit/", body)
    assert response.status_code == 302

    with cast.a.schema():
        versions = list(FormVersion.objects.filter(form=form).order_by("number"))
        submission.refresh_from_db()
        edited = list(
            AuditEntry.objects.filter(action="form.edited").values_list("object_id", "detail")
        )
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].fields == v1_fields  # untouched
    assert [f["key"] for f in versions[1].fields] == ["hours", "quality", "dreams"]
    assert submission.version_id == versions[0].pk
    assert edited == [(str(form.pk), {"version": 2, "new_version": True, "fields_changed": True})]

    # A further edit while v2 has no submission changes v2 in place.
    body["f-2-label"] = "Dreams, if any"
    assert cast.a.signed_in(cast.a.owner).post(f"/staff/forms/{form.pk}/edit/", body).status_code
    with cast.a.schema():
        assert list(FormVersion.objects.filter(form=form).values_list("number", flat=True)) == [
            1,
            2,
        ]
        assert FormVersion.objects.get(form=form, number=2).fields[2]["label"] == "Dreams, if any"
        assert form.latest_version is not None
        assert form.latest_version.number == 2


def test_a_draft_also_freezes_the_version(cast: Cast, make_client: MakeClient) -> None:
    form = custom_form(cast.a)
    client = make_client(email="drafty@example.org")
    with cast.a.schema():
        client_forms_share(actor=cast.a.owner, client=client, form_ids=[form.pk], notify=False)
    submission_make(cast.a, active_share(cast.a, client, form))
    with cast.a.schema():
        saved = form_update(
            actor=cast.a.owner,
            form=form,
            title=form.title,
            description="",
            fields=[{"key": "only", "type": "short_text", "label": "Only question"}],
        )
    assert (saved.version.number, saved.new_version) == (2, True)


def test_changing_only_the_title_makes_no_new_version(cast: Cast, make_client: MakeClient) -> None:
    form = custom_form(cast.a)
    _shared_and_started(cast, make_client, form.pk)
    with cast.a.schema():
        fields = FormVersion.objects.get(form=form).fields
        saved = form_update(
            actor=cast.a.owner, form=form, title="Sleep log", description="New", fields=fields
        )
        assert (saved.version.number, saved.new_version, saved.changed) == (1, False, True)
        assert FormVersion.objects.filter(form=form).count() == 1
        unchanged = form_update(
            actor=cast.a.owner, form=saved.form, title="Sleep log", description="New", fields=fields
        )
        assert unchanged.changed is False
        assert AuditEntry.objects.filter(action="form.edited").count() == 1


def test_editing_phq9_wording_keeps_values_and_scores(cast: Cast) -> None:
    form = starter(cast.a, "phq9")
    browser = cast.a.signed_in(cast.a.owner)
    page = browser.get(f"/staff/forms/{form.pk}/edit/").content.decode()
    assert "Not at all\nSeveral days\nMore than half the days\nNearly every day</textarea>" in page
    with cast.a.schema():
        before = FormVersion.objects.get(form=form).fields
    rows = [
        {
            "key": f["key"],
            "type": f["type"],
            "label": f["label"],
            "help": f["help"],
            "required": "on" if f["required"] else "",
            "options": "\n".join(o["label"] for o in f["options"]),
        }
        for f in before
    ]
    rows[1]["label"] = "Little interest or pleasure in doing things (reworded)"
    response = browser.post(f"/staff/forms/{form.pk}/edit/", builder_post(form.title, rows))
    assert response.status_code == 302
    with cast.a.schema():
        after = FormVersion.objects.get(form=form)
    assert after.fields[1]["options"] == before[1]["options"]
    assert after.fields[1]["label"].endswith("(reworded)")
    assert after.scoring is not None
    assert after.scoring["keys"] == [f"phq9_{n}" for n in range(1, 10)]


def test_a_scored_question_cannot_be_removed(cast: Cast) -> None:
    form = starter(cast.a, "gad7")
    with cast.a.schema():
        fields = FormVersion.objects.get(form=form).fields
        with pytest.raises(ValidationError) as refused:
            form_update(
                actor=cast.a.owner,
                form=form,
                title=form.title,
                description=form.description,
                fields=[f for f in fields if f["key"] != "gad7_3"],
            )
    assert refused.value.message_dict == {
        "fields": [
            "This form is scored: the scored question “gad7_3” must stay, as a single choice."
        ]
    }
