"""Clients of a practice set up for secure messaging, for the messaging tests and the isolation
cases: a client record with an active portal account and portal access with messaging on."""

from __future__ import annotations

from shared_apps.accounts.models import User, UserKind
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.clients.services import ClientData, client_create
from tenant_apps.invitations.models import PortalAccess
from tests.cast import PASSWORD, PracticeCast

# Message text that must never leave the message row (emails, outbox, audit, logs).
CANARY = "Canary-7f3a: my panic attacks are back"


def messaging_client(
    practice: PracticeCast,
    *,
    first_name: str = "Mara",
    last_name: str = "Messenger",
    email: str = "mara.messenger@example.org",
    clinician: User | None = None,
    secure_messaging: bool = True,
    allows_email: bool = True,
) -> Client:
    """A client of `practice` who accepted their invitation: an active client account (password
    `PASSWORD`) and portal access with secure messaging on (unless told otherwise)."""
    with practice.schema():
        client = client_create(
            actor=practice.owner,
            data=ClientData(
                first_name=first_name, last_name=last_name, email=email, clinician=clinician
            ),
        )
        account = User.objects.create_user(
            email, PASSWORD, kind=UserKind.CLIENT, first_name=first_name, last_name=last_name
        )
        client.account = account
        client.portal_status = PortalStatus.ACTIVE
        client.save(update_fields=["account", "portal_status"])
        PortalAccess.objects.create(
            client=client, secure_messaging=secure_messaging, allows_email=allows_email
        )
        return Client.objects.select_related("account", "clinician").get(pk=client.pk)
