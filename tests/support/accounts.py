"""Shared helpers for the account tests: users made inside a test, links read from the outbox."""

from __future__ import annotations

import re

from django.contrib.sessions.models import Session

from shared_apps.accounts.models import StaffRole, User, UserKind
from tenant_apps.audit.models import AuditEntry
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import PracticeCast


def user_make(
    practice: PracticeCast,
    email: str,
    password: str,
    *,
    role: StaffRole | None = None,
    first_name: str = "Sam",
) -> User:
    with practice.schema():
        if role is None:
            return User.objects.create_user(
                email, password, kind=UserKind.CLIENT, first_name=first_name
            )
        return User.objects.create_user(
            email, password, kind=UserKind.STAFF, role=role, first_name=first_name
        )


def clinician_of(practice: PracticeCast) -> User:
    assert practice.clinician is not None, "this practice's cast has no clinician"
    return practice.clinician


def user_fresh(practice: PracticeCast, user: User) -> User:
    with practice.schema():
        return User.objects.get(pk=user.pk)


def outbox(practice: PracticeCast, kind: str) -> list[OutboundEmail]:
    with practice.schema():
        return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def link_token(email: OutboundEmail, path: str) -> str:
    """The raw token of the `/<path>/<token>/` link in a queued email's body."""
    match = re.search(rf"/{path}/([A-Za-z0-9_-]+)/", email.body_text)
    assert match is not None, email.body_text
    return match.group(1)


def audit_actions(practice: PracticeCast, prefix: str = "") -> list[AuditEntry]:
    with practice.schema():
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("pk"))


def session_count(practice: PracticeCast) -> int:
    with practice.schema():
        return Session.objects.count()
