from __future__ import annotations

from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Portal access per client: the features and information chosen in the setup wizard, and
    the invitations that give the client an account."""

    name = "tenant_apps.invitations"
    label = "invitations"

    def ready(self) -> None:
        # Archiving a client takes its portal access away; clients cannot import this app
        # (it builds on clients), so the step is handed over here.
        from tenant_apps.clients.services import client_archive_access_revoker_set
        from tenant_apps.invitations.services import portal_access_revoke_in_transaction

        client_archive_access_revoker_set(portal_access_revoke_in_transaction)
