"""Reading the outbox: a client's delivery log for staff.

The log shows what was sent and how it went — kind, recipient role, state, attempts, times — and
never a subject, body or address: staff learn that an email went out and whether it arrived at the
mail server, nothing more (and nothing a log page could leak).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from shared_apps.accounts.models import User, UserKind
from tenant_apps.clients.models import Client
from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState

# Human labels of the kinds of email that concern a client; an unknown kind (a new feature's) is
# shown as its slug in words.
KIND_LABELS: dict[str, str] = {
    "client_invitation": "Portal invitation",
    "onboarding_completed": "Onboarding completed (to staff)",
    "password_reset": "Password reset",
    "message_waiting": "Secure message waiting",
    "staff_message_waiting": "Client message waiting (to staff)",
    "forms_shared": "New forms shared",
    "document_shared": "New document shared",
}
DELIVERY_LOG_LIMIT = 200


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or kind.replace("_", " ").replace("-", " ").capitalize()


@dataclass(frozen=True)
class Delivery:
    """One row of a client's delivery log."""

    kind: str
    kind_label: str
    recipient: str
    state: str
    state_label: str
    attempts: int
    last_error: str
    queued_at: datetime
    send_after: datetime
    sent_at: datetime | None

    @property
    def is_failed(self) -> bool:
        return self.state == OutboundEmailState.FAILED


def client_deliveries(*, client: Client, limit: int = DELIVERY_LOG_LIMIT) -> list[Delivery]:
    """The emails about `client` (to them, or to staff about them), newest first, at most
    `limit`. Two queries whatever the number: the emails, and the staff they went to.

    Call it only with a client loaded by `access_client` for the viewer."""
    emails: QuerySet[OutboundEmail] = OutboundEmail.objects.filter(client=client).order_by(
        "-created_at", "-pk"
    )[:limit]
    rows = list(emails)
    staff_names = {
        user.email: user.display_name
        for user in User.objects.filter(
            kind=UserKind.STAFF, email__in={row.to_email for row in rows}
        )
    }
    client_email = (client.email or "").lower()
    return [
        Delivery(
            kind=row.kind,
            kind_label=kind_label(row.kind),
            recipient=_recipient(row.to_email, client_email, staff_names),
            state=row.state,
            state_label=OutboundEmailState(row.state).label,
            attempts=row.attempts,
            last_error=row.last_error,
            queued_at=row.created_at,
            send_after=row.send_after,
            sent_at=row.sent_at,
        )
        for row in rows
    ]


def _recipient(to_email: str, client_email: str, staff_names: dict[str, str]) -> str:
    if to_email.lower() == client_email:
        return "Client"
    name = staff_names.get(to_email)
    return f"Staff: {name}" if name else "Staff"
