"""Helpers for the builder and sharing tests (tenant_apps/forms builder/sharing side): forms of
practice A made by the services, and submissions written directly (filling is another module's
job; these tests only need a submission to exist)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client
from tenant_apps.forms.models import (
    Form,
    FormShare,
    FormSubmission,
    FormVersion,
    SubmissionState,
)
from tenant_apps.forms.services import form_create
from tests.cast import PracticeCast

CANARY_TITLE = "Canarytitle Zebrafish"
CANARY_MESSAGE = "Canarymessage Quokka"
CANARY_ANSWER = "Canaryanswer Axolotl"


def custom_form(
    practice: PracticeCast, *, title: str = "Sleep diary", by: User | None = None
) -> Form:
    with practice.schema():
        return form_create(
            actor=by or practice.owner,
            title=title,
            fields=[
                {"key": "hours", "type": "number", "label": "Hours slept", "min": 0, "max": 24},
                {
                    "key": "quality",
                    "type": "single_choice",
                    "label": "Quality",
                    "options": [
                        {"value": "o1", "label": "Poor", "score": None},
                        {"value": "o2", "label": "Good", "score": None},
                    ],
                },
            ],
        )


def starter(practice: PracticeCast, key: str) -> Form:
    with practice.schema():
        return Form.objects.get(starter_key=key)


def submission_make(
    practice: PracticeCast,
    share: FormShare,
    *,
    state: SubmissionState = SubmissionState.DRAFT,
    answers: dict[str, Any] | None = None,
) -> FormSubmission:
    """A submission of `share` against the form's latest version, as a client's first draft
    save (or submit) would leave it."""
    with practice.schema():
        version = FormVersion.objects.filter(form_id=share.form_id).order_by("-number").first()
        assert version is not None
        return FormSubmission.objects.create(
            share=share,
            version=version,
            answers=answers or {},
            state=state,
            submitted_at=timezone.now() if state == SubmissionState.SUBMITTED else None,
        )


def active_share(practice: PracticeCast, client: Client, form: Form) -> FormShare:
    with practice.schema():
        return FormShare.objects.get(client=client, form=form, unshared_at__isnull=True)


def builder_post(title: str, rows: list[dict[str, str]], op: str = "save") -> dict[str, str]:
    """The builder page's POST body for `rows` (each a dict of field attributes)."""
    data = {"title": title, "description": "", "count": str(len(rows)), "op": op}
    for i, row in enumerate(rows):
        for attr, value in row.items():
            data[f"f-{i}-{attr}"] = value
    return data
