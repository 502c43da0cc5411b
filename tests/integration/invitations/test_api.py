"""`/api/v1/clients/<id>/invitation/{send,resend,revoke}/`: the same rules and audit as the
pages."""

from __future__ import annotations

import pytest

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.invitations.models import Invitation
from tests.cast import Cast
from tests.support.invitations import emails, fresh, invitation_token

pytestmark = pytest.mark.django_db


def _url(client: Client, action: str) -> str:
    return f"/api/v1/clients/{client.pk}/invitation/{action}/"


def test_send_resend_revoke(cast: Cast, assigned: Client, admin_a: User) -> None:
    api = cast.a.signed_in(admin_a)
    sent = api.post(_url(assigned, "send"), {}, content_type="application/json")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["client_id"] == assigned.pk
    assert body["portal_status"] == "invited"
    assert body["invitation"]["status"] == "Sent"
    old = invitation_token(emails(cast.a, "client_invitation")[-1])
    assert old not in sent.content.decode()

    again = api.post(_url(assigned, "send"), {}, content_type="application/json")
    assert again.status_code == 400
    assert "already invited" in again.json()["detail"]

    resent = api.post(_url(assigned, "resend"), {}, content_type="application/json")
    assert resent.status_code == 200
    assert resent.json()["invitation"]["id"] != body["invitation"]["id"]
    assert cast.a.http().get(f"/invitation/{old}/").status_code == 404

    revoked = api.post(_url(assigned, "revoke"), {}, content_type="application/json")
    assert revoked.status_code == 200
    assert revoked.json()["portal_status"] == "revoked"
    assert revoked.json()["invitation"]["status"] == "Revoked"
    assert fresh(cast.a, assigned).portal_status == PortalStatus.REVOKED
    with cast.a.schema():
        actions = list(
            AuditEntry.objects.filter(action__startswith="invitation.")
            .order_by("pk")
            .values_list("action", "actor_id")
        )
    assert actions == [
        ("invitation.sent", admin_a.pk),
        ("invitation.resent", admin_a.pk),
        ("invitation.revoked", admin_a.pk),
    ]


@pytest.mark.parametrize("action", ["send", "resend", "revoke"])
def test_who_may_call(cast: Cast, unassigned: Client, action: str) -> None:
    url = _url(unassigned, action)
    assert cast.a.http().post(url).status_code == 403
    assert cast.a.signed_in(cast.a.client_user).post(url).status_code == 403
    assert cast.a.clinician is not None
    stranger = cast.a.signed_in(cast.a.clinician).post(url)
    assert stranger.status_code == 404
    assert b"Unassigned" not in stranger.content
    with cast.a.schema():
        assert not Invitation.objects.exists()
    assert fresh(cast.a, unassigned).portal_status == PortalStatus.NOT_INVITED
