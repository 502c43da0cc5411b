"""Onboarding: the setup wizard that starts it (portal access, the invitation and the forms to
fill, in one change), the steps a client completes after accepting the invitation, and what
happens when the last one is done (staff are notified in the app and by email).

Audit rows name the client by id and the step by name; never a value the client typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.tenancy.context import current_practice
from shared_apps.web.origin import RequestOrigin
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record
from tenant_apps.clients.models import Client
from tenant_apps.forms.selectors import (
    forms_outstanding_for_onboarding,
    forms_requested_in_setup,
)
from tenant_apps.forms.services import client_forms_share_in_transaction
from tenant_apps.invitations.models import COLLECT_STEPS, PortalAccess
from tenant_apps.invitations.services import (
    invitation_send_in_transaction,
    portal_access_set_in_transaction,
)
from tenant_apps.notifications.links import portal_link
from tenant_apps.notifications.services import email_enqueue
from tenant_apps.onboarding.forms import DemographicsForm, EmergencyContactForm, InsuranceForm
from tenant_apps.onboarding.models import Demographics, EmergencyContact, Insurance
from tenant_apps.staff_notifications.models import StaffNotificationKind
from tenant_apps.staff_notifications.selectors import staff_to_notify_about
from tenant_apps.staff_notifications.services import staff_notify

_COMPLETED_EMAIL_TEMPLATE = "onboarding/email/onboarding_completed.txt"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    model: type[models.Model]
    form: type[forms.ModelForm[Any]]


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("demographics", COLLECT_STEPS["demographics"], Demographics, DemographicsForm),
        Step(
            "emergency_contact",
            COLLECT_STEPS["emergency_contact"],
            EmergencyContact,
            EmergencyContactForm,
        ),
        Step("insurance", COLLECT_STEPS["insurance"], Insurance, InsuranceForm),
    )
}


def portal_setup_complete(
    *,
    actor: User,
    origin: RequestOrigin | None = None,
    client: Client,
    choices: dict[str, bool],
    form_ids: Iterable[int],
) -> None:
    """The setup wizard's last page, all or nothing: save the portal access `choices` (features,
    information to collect), invite the client and share `form_ids` as requested in setup, so
    they count towards onboarding. The invitation email is the only one (no separate "new forms"
    email). Audits `portal_access.updated`, `invitation.sent` and the forms' share.

    Raises InvitationError (nothing is kept) when the client cannot be invited.
    """
    with transaction.atomic(durable=True):
        portal_access_set_in_transaction(actor=actor, origin=origin, client=client, choices=choices)
        invitation_send_in_transaction(actor=actor, origin=origin, client=client)
        client_forms_share_in_transaction(
            actor=actor,
            origin=origin,
            client=client,
            form_ids=form_ids,
            requested_in_setup=True,
            notify=False,
        )


def onboarding_steps_done(client: Client) -> set[str]:
    """The steps `client` has completed (one query per step kind, three at most)."""
    return {
        name
        for name, step in STEPS.items()
        if step.model._default_manager.filter(client=client).exists()
    }


def onboarding_steps_remaining(client: Client, access: PortalAccess | None) -> list[Step]:
    """The requested steps not done yet, in order."""
    if access is None:
        return []
    done = onboarding_steps_done(client)
    return [STEPS[name] for name in access.requested_steps if name not in done]


def onboarding_step_save(
    *,
    actor: User,
    origin: RequestOrigin | None = None,
    client: Client,
    step: Step,
    form: forms.ModelForm[Any],
) -> bool:
    """Save a valid step form for `client`; audits `onboarding.step_completed` (the step's name).
    When this completes everything requested for the first time, marks onboarding complete,
    audits `onboarding.completed`, notifies the owners and the assigned clinician in the app and
    queues an email to each (no PHI: the email does not name the client); forms requested in
    setup must be submitted too (see `onboarding_completion_check`). Returns whether onboarding
    was completed by this call. `actor` is the client's own account."""
    with transaction.atomic(durable=True):
        access = PortalAccess.objects.select_for_update().get(client=client)
        row = form.save(commit=False)
        row.client = client
        row.save()
        audit_record(
            action=AuditAction.ONBOARDING_STEP_COMPLETED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=client.pk,
            detail={"step": step.name},
        )
        return _completion_check(actor=actor, origin=origin, client=client, access=access)


def onboarding_completion_check(
    *, actor: User | None, origin: RequestOrigin | None = None, client: Client
) -> bool:
    """Mark onboarding complete if `client` has now done everything requested: every
    information step and every form requested in the setup wizard (submitted). Call it after
    anything that may finish onboarding (a step saved, a form submitted). The first time it
    completes: audits `onboarding.completed`, notifies the owners and the assigned clinician in
    the app and queues an email to each (no PHI: the email does not name the client). Returns
    whether onboarding was completed by this call; False when already complete or something is
    outstanding, when the client has no portal access, or when setup asked for nothing at all
    (then there is no onboarding to complete: submitting an ordinary form is not onboarding).
    Not durable: it runs inside `submission_submit`'s transaction (see `apps.py`)."""
    with transaction.atomic():
        access = PortalAccess.objects.select_for_update().filter(client=client).first()
        if access is None or not (access.requested_steps or forms_requested_in_setup(client)):
            return False
        return _completion_check(actor=actor, origin=origin, client=client, access=access)


def _completion_check(
    *, actor: User | None, origin: RequestOrigin | None = None, client: Client, access: PortalAccess
) -> bool:
    """The completion block, inside the caller's transaction with `access` locked."""
    if (
        access.onboarding_completed_at is not None
        or onboarding_steps_remaining(client, access)
        or forms_outstanding_for_onboarding(client)
    ):
        return False
    completed_at = timezone.now()
    access.onboarding_completed_at = completed_at
    access.save(update_fields=["onboarding_completed_at", "updated_at"])
    audit_record(
        action=AuditAction.ONBOARDING_COMPLETED,
        actor=actor,
        origin=origin,
        object_type="client",
        object_id=client.pk,
        detail={"steps": access.requested_steps},
    )
    recipients = staff_to_notify_about(client)
    staff_notify(
        recipients=recipients, kind=StaffNotificationKind.ONBOARDING_COMPLETED, client=client
    )
    practice_name = current_practice().name
    for person in recipients:
        email_enqueue(
            kind="onboarding_completed",
            to_email=person.email,
            subject=f"A client completed onboarding at {practice_name}",
            template_name=_COMPLETED_EMAIL_TEMPLATE,
            context={
                "first_name": person.first_name,
                "practice_name": practice_name,
                "staff_url": portal_link("/staff/"),
            },
            idempotency_key=f"onboarding-completed:{client.pk}:{person.pk}:"
            f"{completed_at.isoformat()}",
            client=client,
        )
    return True


def communication_preferences_set(
    *, actor: User, origin: RequestOrigin | None = None, access: PortalAccess, allows_email: bool
) -> None:
    """The client's own choice (`actor` is the client's account) about email notifications.
    Audits `preferences.updated` (the new flag only) when it changes."""
    if access.allows_email == allows_email:
        return
    with transaction.atomic(durable=True):
        access.allows_email = allows_email
        access.save(update_fields=["allows_email", "updated_at"])
        audit_record(
            action=AuditAction.PREFERENCES_UPDATED,
            actor=actor,
            origin=origin,
            object_type="client",
            object_id=access.client_id,
            detail={"allows_email": allows_email},
        )
