"""Helpers for the filling, signing, PDF and submission tests: a client of a practice with a
portal account, forms made straight from field dicts, shares, and a client browser that fills.

Plain functions (not fixtures) so each test says exactly what it builds; everything is written
inside the test's transaction and disappears with it.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.test import Client as Browser
from django.utils import timezone
from PIL import Image

from provisioning.services import practice_client_account_create
from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.forms.models import Form, FormKind, FormShare, FormSubmission, FormVersion
from tenant_apps.invitations.models import PortalAccess
from tests.cast import PASSWORD, PracticeCast

# A field of every type, with bounds and options to validate against.
EVERY_TYPE: list[dict[str, Any]] = [
    {"key": "intro", "type": "heading", "label": "About you", "help": "Take your time."},
    {"key": "name", "type": "short_text", "label": "Preferred name", "required": True},
    {"key": "story", "type": "long_text", "label": "What brings you here?", "required": False},
    {
        "key": "contact",
        "type": "single_choice",
        "label": "Best way to reach you",
        "required": True,
        "options": [
            {"value": "phone", "label": "Phone", "score": None},
            {"value": "email", "label": "Email", "score": None},
        ],
    },
    {
        "key": "topics",
        "type": "multiple_choice",
        "label": "Topics",
        "required": True,
        "options": [
            {"value": "mood", "label": "Mood", "score": None},
            {"value": "sleep", "label": "Sleep", "score": None},
            {"value": "work", "label": "Work", "score": None},
        ],
    },
    {"key": "born", "type": "date", "label": "Date of birth", "required": True},
    {"key": "hours", "type": "number", "label": "Hours of sleep", "min": 0, "max": 24},
    {"key": "mood", "type": "scale", "label": "Mood today", "min": 1, "max": 5, "required": True},
    {"key": "before", "type": "yes_no", "label": "Seen a therapist before?", "required": True},
]

SIGNATURE_FIELD: dict[str, Any] = {
    "key": "signature",
    "type": "signature",
    "label": "Signature",
    "required": True,
}

VALID_POST: dict[str, Any] = {
    "a-name": "Sam",
    "a-story": "Trouble sleeping",
    "a-contact": "email",
    "a-topics": ["sleep", "mood"],
    "a-born": "1990-04-01",
    "a-hours": "6.5",
    "a-mood": "4",
    "a-before": "no",
}

VALID_ANSWERS: dict[str, Any] = {
    "name": "Sam",
    "story": "Trouble sleeping",
    "contact": "email",
    "topics": ["mood", "sleep"],
    "born": "1990-04-01",
    "hours": 6.5,
    "mood": 4,
    "before": "no",
}


def png_data_url(width: int = 60, height: int = 20) -> str:
    """A real PNG, as the signature pad sends it."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def portal_client(
    practice: PracticeCast,
    *,
    account: User | None = None,
    clinician: User | None = None,
    email: str | None = None,
    onboarded: bool = True,
) -> Client:
    """A client record of `practice` linked to a portal account (the cast's client unless
    `account`), with portal access (onboarding already complete unless `onboarded=False`)."""
    account = account or practice.client_user
    with practice.schema():
        client = Client.objects.create(
            first_name=account.first_name or "Pat",
            last_name=account.last_name or "Portal",
            email=email or account.email,
            account=account,
            clinician=clinician,
            portal_status=PortalStatus.ACTIVE,
        )
        PortalAccess.objects.create(
            client=client, onboarding_completed_at=timezone.now() if onboarded else None
        )
    return client


def second_portal_client(
    practice: PracticeCast,
    email: str = "other.client@example.org",
    *,
    clinician: User | None = None,
) -> Client:
    """Another client of the same practice with their own account (password PASSWORD)."""
    account = practice_client_account_create(
        practice=practice.practice,
        email=email,
        password=PASSWORD,
        first_name="Other",
        last_name="Person",
    )
    return portal_client(practice, account=account, clinician=clinician)


def make_form(
    practice: PracticeCast,
    fields: list[dict[str, Any]],
    *,
    title: str = "Getting to know you",
    scoring: dict[str, Any] | None = None,
    kind: FormKind = FormKind.CUSTOM,
) -> Form:
    with practice.schema():
        form = Form.objects.create(title=title, kind=kind, created_by=practice.owner)
        FormVersion.objects.create(
            form=form, number=1, fields=fields, scoring=scoring, created_by=practice.owner
        )
    return form


def starter_form(practice: PracticeCast, starter_key: str) -> Form:
    with practice.schema():
        return Form.objects.get(starter_key=starter_key)


def share(
    practice: PracticeCast, client: Client, form: Form, *, requested_in_setup: bool = False
) -> FormShare:
    with practice.schema():
        return FormShare.objects.create(
            client=client,
            form=form,
            shared_by=practice.owner,
            requested_in_setup=requested_in_setup,
        )


def submission_of(practice: PracticeCast, form_share: FormShare) -> FormSubmission | None:
    with practice.schema():
        return FormSubmission.objects.select_related("version").filter(share=form_share).first()


def client_browser(practice: PracticeCast, account: User | None = None) -> Browser:
    return practice.signed_in(account or practice.client_user)


def submit(browser: Browser, form_share: FormShare, data: dict[str, Any]) -> Any:
    return browser.post(f"/documents/forms/{form_share.pk}/", data)


def save_draft(browser: Browser, form_share: FormShare, data: dict[str, Any]) -> Any:
    return browser.post(f"/documents/forms/{form_share.pk}/draft/", data, HTTP_HX_REQUEST="true")


def submitted(
    practice: PracticeCast,
    client: Client,
    form: Form,
    data: dict[str, Any],
) -> FormSubmission:
    """Share `form` with `client` and submit `data` through the portal; the submission."""
    form_share = share(practice, client, form)
    response = submit(client_browser(practice, client.account), form_share, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    found = submission_of(practice, form_share)
    assert found is not None
    return found
