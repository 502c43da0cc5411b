"""The forms API: `/api/v1/forms/` (list, retrieve with versions) and a client's shares (list,
share, un-share), with the pages' role rules; a refused request changes nothing."""

from __future__ import annotations

import pytest

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import FormShare, SubmissionState
from tenant_apps.forms.services import form_archive, form_update
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import Cast
from tests.support.forms_builder import (
    active_share,
    custom_form,
    starter,
    submission_make,
)
from tests.support.invitations import accept, invite

pytestmark = pytest.mark.django_db


def _shares(cast: Cast, client: Client) -> list[tuple[int, bool]]:
    with cast.a.schema():
        return sorted(
            (s.form_id, s.unshared_at is None) for s in FormShare.objects.filter(client=client)
        )


def test_forms_list_and_retrieve_with_versions(cast: Cast, admin_a: User) -> None:
    form = custom_form(cast.a, title="Api form")
    with cast.a.schema():
        form_update(
            actor=cast.a.owner,
            form=form,
            title="Api form",
            description="",
            fields=[{"key": "one", "type": "yes_no", "label": "One?"}],
        )
    archived = custom_form(cast.a, title="Archived api form")
    with cast.a.schema():
        form_archive(actor=cast.a.owner, form=archived)
    for user in (cast.a.owner, admin_a):
        api = cast.a.signed_in(user)
        listed = api.get("/api/v1/forms/").json()
        titles = [row["title"] for row in listed]
        assert "Api form" in titles
        assert "Archived api form" not in titles
        assert "PHQ-9 (depression)" in titles
        assert len(listed) == 7
        everything = api.get("/api/v1/forms/?include_archived=true").json()
        assert len(everything) == 8

    detail = cast.a.signed_in(cast.a.owner).get(f"/api/v1/forms/{form.pk}/").json()
    assert detail["title"] == "Api form"
    assert detail["kind"] == "custom"
    assert detail["latest_version"] == 1  # no submission yet: edited in place
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["versions"][0]["fields"] == [
        {
            "key": "one",
            "type": "yes_no",
            "label": "One?",
            "help": "",
            "required": False,
            "options": [],
            "min": None,
            "max": None,
        }
    ]
    phq9 = starter(cast.a, "phq9")
    scored = cast.a.signed_in(cast.a.owner).get(f"/api/v1/forms/{phq9.pk}/").json()
    assert scored["versions"][0]["scoring"]["method"] == "sum"
    assert cast.a.signed_in(cast.a.owner).get("/api/v1/forms/999999/").status_code == 404
    assert cast.a.signed_in(cast.a.client_user).get("/api/v1/forms/").status_code == 403
    assert cast.a.http().get("/api/v1/forms/").status_code == 403


def test_share_list_and_unshare_through_the_api(cast: Cast, assigned: Client) -> None:
    accept(cast.a, invite(cast.a, assigned))
    intake, phq9 = starter(cast.a, "intake"), starter(cast.a, "phq9")
    api = cast.a.signed_in(cast.a.owner)
    base = f"/api/v1/clients/{assigned.pk}/forms/"

    shared = api.post(
        f"{base}share/",
        {"form_ids": [intake.pk, phq9.pk], "message": "Before Tuesday"},
        content_type="application/json",
    )
    assert shared.status_code == 200, shared.content
    body = shared.json()
    assert body["shared"] == sorted([intake.pk, phq9.pk])
    assert body["emailed"] is True
    assert sorted((s["form_id"], s["status"], s["message"]) for s in body["shares"]) == sorted(
        [(intake.pk, "not_started", "Before Tuesday"), (phq9.pk, "not_started", "Before Tuesday")]
    )
    # Sharing again adds nothing and sends nothing.
    again = api.post(f"{base}share/", {"form_ids": [intake.pk]}, content_type="application/json")
    assert again.json()["shared"] == []
    assert again.json()["emailed"] is False

    submission_make(cast.a, active_share(cast.a, assigned, phq9), state=SubmissionState.DRAFT)
    listed = api.get(base).json()
    assert {s["form_id"]: s["status"] for s in listed["shares"]} == {
        intake.pk: "not_started",
        phq9.pk: "draft",
    }

    unshared = api.post(
        f"{base}unshare/", {"form_ids": [intake.pk, phq9.pk]}, content_type="application/json"
    )
    assert unshared.status_code == 200
    assert sorted(unshared.json()["unshared"]) == sorted([intake.pk, phq9.pk])
    assert _shares(cast, assigned) == [(phq9.pk, False)]
    with cast.a.schema():
        assert OutboundEmail.objects.filter(kind="forms_shared").count() == 1


def test_api_refusals_change_nothing(
    cast: Cast, assigned: Client, unassigned: Client, admin_a: User
) -> None:
    assert cast.a.clinician is not None
    archived = custom_form(cast.a, title="Gone")
    with cast.a.schema():
        form_archive(actor=cast.a.owner, form=archived)
    intake = starter(cast.a, "intake")
    clinician = cast.a.signed_in(cast.a.clinician)
    url = f"/api/v1/clients/{unassigned.pk}/forms/share/"
    payload = {"form_ids": [intake.pk]}
    assert clinician.post(url, payload, content_type="application/json").status_code == 404
    assert clinician.get(f"/api/v1/clients/{unassigned.pk}/forms/").status_code == 404
    client_api = cast.a.signed_in(cast.a.client_user)
    assert client_api.post(url, payload, content_type="application/json").status_code == 403
    refused = cast.a.signed_in(admin_a).post(
        f"/api/v1/clients/{assigned.pk}/forms/share/",
        {"form_ids": [archived.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"forms": ["One of the ticked forms is archived or no longer exists."]}
    empty = cast.a.signed_in(admin_a).post(
        f"/api/v1/clients/{assigned.pk}/forms/share/",
        {"form_ids": []},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert _shares(cast, assigned) == []
    assert _shares(cast, unassigned) == []
    # The admin may share (paperwork), like on the page.
    ok = cast.a.signed_in(admin_a).post(
        f"/api/v1/clients/{assigned.pk}/forms/share/", payload, content_type="application/json"
    )
    assert ok.status_code == 200
    assert _shares(cast, assigned) == [(intake.pk, True)]
