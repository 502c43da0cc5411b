"""Reading portal access and invitations."""

from __future__ import annotations

import hashlib

from shared_apps.accounts.models import User
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.invitations.models import COLLECT_STEPS, FEATURES, Invitation, PortalAccess
from tenant_apps.practice_settings.selectors import portal_settings


def token_sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def portal_access_defaults() -> dict[str, bool]:
    """Features and information to collect for a new client, from Settings > Portal."""
    settings = portal_settings()
    defaults = {name: getattr(settings, f"default_{name}") for name in FEATURES}
    defaults.update(
        {f"collect_{name}": getattr(settings, f"collect_{name}") for name in COLLECT_STEPS}
    )
    return defaults


def portal_access_of(client: Client) -> PortalAccess | None:
    return PortalAccess.objects.filter(client=client).first()


def invitation_usable(*, raw: str, for_update: bool = False) -> Invitation | None:
    """The open, unexpired invitation of an invited client with this token, or None (unknown,
    used, replaced, revoked, expired, or the client's access changed since)."""
    if not raw:
        return None
    invitations = Invitation.objects.select_related("client", "client__account").filter(
        token_sha256=token_sha256(raw)
    )
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.first()
    if invitation is None or not invitation.is_usable:
        return None
    client = invitation.client
    if client.is_archived or client.portal_status != PortalStatus.INVITED or client.account is None:
        return None
    return invitation


def invitation_latest(client: Client) -> Invitation | None:
    return Invitation.objects.filter(client=client).order_by("-sent_at", "-id").first()


def invitation_history(client: Client) -> list[Invitation]:
    return list(Invitation.objects.filter(client=client).order_by("-sent_at", "-id")[:20])


def client_of_account(user: User) -> Client | None:
    """The client record a signed-in client account belongs to (None for anyone else)."""
    if not (user.is_authenticated and user.is_client):
        return None
    return Client.objects.filter(account=user, is_archived=False).first()
