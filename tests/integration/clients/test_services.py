"""Services and selectors of the clients area: validation, role rules, audit without PHI."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from shared_apps.accounts.models import User
from tenant_apps.audit.models import AuditEntry
from tenant_apps.clients.models import Client, PortalStatus
from tenant_apps.clients.selectors import access_client, client_list
from tenant_apps.clients.services import (
    ClientData,
    client_archive,
    client_create,
    client_import,
    client_unarchive,
    client_update,
)
from tests.cast import Cast
from tests.support.clients import MakeClient

pytestmark = pytest.mark.django_db


def test_create_trims_lower_cases_and_audits_without_phi(cast: Cast) -> None:
    with cast.a.schema():
        client = client_create(
            actor=cast.a.owner,
            data=ClientData(
                first_name="  Jamie ",
                last_name="Doe",
                email=" Jamie.Doe@Example.ORG ",
                date_of_birth=datetime.date(1990, 4, 1),
            ),
        )
        client.refresh_from_db()
        assert (client.first_name, client.email) == ("Jamie", "jamie.doe@example.org")
        assert client.portal_status == PortalStatus.NOT_INVITED
        assert str(client) == f"Client #{client.pk}"
        entry = AuditEntry.objects.get(action="client.created")
        assert (entry.actor_id, entry.object_type, entry.object_id) == (
            cast.a.owner.pk,
            "client",
            str(client.pk),
        )
        assert entry.detail == {}


def test_a_duplicate_active_email_is_refused_with_a_clear_message(
    cast: Cast, make_client: MakeClient
) -> None:
    make_client(email="same@example.org")
    with cast.a.schema():
        with pytest.raises(ValidationError) as refused:
            client_create(
                actor=cast.a.owner,
                data=ClientData(first_name="Other", last_name="Person", email="SAME@example.org"),
            )
        assert refused.value.message_dict == {
            "email": ["A client with this email already exists: same@example.org"]
        }
        assert Client.objects.count() == 1


def test_archiving_frees_the_email_and_unarchiving_checks_it_again(
    cast: Cast, make_client: MakeClient
) -> None:
    first = make_client(email="reused@example.org")
    with cast.a.schema():
        client_archive(actor=cast.a.owner, client=first)
        second = client_create(
            actor=cast.a.owner,
            data=ClientData(first_name="New", last_name="Record", email="reused@example.org"),
        )
        with pytest.raises(ValidationError, match="already exists"):
            client_unarchive(actor=cast.a.owner, client=first)
        assert Client.objects.get(pk=first.pk).is_archived
        client_archive(actor=cast.a.owner, client=second)
        client_unarchive(actor=cast.a.owner, client=first)
        assert not Client.objects.get(pk=first.pk).is_archived
        assert list(
            AuditEntry.objects.filter(object_id=str(first.pk))
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["client.created", "client.archived", "client.unarchived"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (ClientData(first_name=" ", last_name="X"), "first_name", "First name is required."),
        (ClientData(first_name="X", last_name=""), "last_name", "Last name is required."),
        (ClientData(first_name="X", last_name="Y", email="nope"), "email", "valid email"),
        (
            ClientData(first_name="X", last_name="Y", date_of_birth=datetime.date(2999, 1, 1)),
            "date_of_birth",
            "in the future",
        ),
        (ClientData(first_name="X", last_name="Y", pronouns="x" * 51), "pronouns", "at most 50"),
    ],
)
def test_invalid_details_are_explained(
    cast: Cast, data: ClientData, field: str, message: str
) -> None:
    with cast.a.schema():
        with pytest.raises(ValidationError) as refused:
            client_create(actor=cast.a.owner, data=data)
        assert message in " ".join(refused.value.message_dict[field])
        assert not Client.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="client.").exists()


def test_a_clinician_keeps_their_clients_and_cannot_assign_a_staff_member_who_is_not_one(
    cast: Cast, make_client: MakeClient
) -> None:
    assert cast.a.clinician is not None
    with cast.a.schema():
        with pytest.raises(ValidationError, match="only keep clients assigned to yourself"):
            client_create(
                actor=cast.a.clinician, data=ClientData(first_name="Not", last_name="Mine")
            )
        with pytest.raises(ValidationError, match="one of the practice's clinicians"):
            client_create(
                actor=cast.a.owner,
                data=ClientData(first_name="Wrong", last_name="Staff", clinician=cast.a.owner),
            )
        own = client_create(
            actor=cast.a.clinician,
            data=ClientData(first_name="Mine", last_name="Own", clinician=cast.a.clinician),
        )
        assert own.clinician == cast.a.clinician


def test_update_audits_the_names_of_changed_fields_only(
    cast: Cast, make_client: MakeClient
) -> None:
    client = make_client(email="before@example.org")
    with cast.a.schema():
        client_update(
            actor=cast.a.owner,
            client=client,
            data=ClientData(
                first_name="Changed", last_name=client.last_name, email="after@example.org"
            ),
        )
        client_update(actor=cast.a.owner, client=client, data=ClientData.of(client))
        [entry] = AuditEntry.objects.filter(action="client.updated")
        assert entry.detail == {"fields": ["email", "first_name"]}
        assert Client.objects.get(pk=client.pk).email == "after@example.org"


def test_role_rules_of_the_selectors(
    cast: Cast, admin_a: User, assigned: Client, unassigned: Client
) -> None:
    assert cast.a.clinician is not None
    with cast.a.schema():
        for viewer in (cast.a.owner, admin_a):
            assert {c.pk for c in client_list(viewer=viewer)} == {assigned.pk, unassigned.pk}
            assert access_client(viewer=viewer, client_id=unassigned.pk) == unassigned
        assert [c.pk for c in client_list(viewer=cast.a.clinician)] == [assigned.pk]
        with pytest.raises(Http404):
            access_client(viewer=cast.a.clinician, client_id=unassigned.pk)
        with pytest.raises(Http404):
            access_client(viewer=cast.a.owner, client_id=10**9)
        assert not client_list(viewer=cast.a.client_user).exists()
        with pytest.raises(Http404):
            access_client(viewer=cast.a.client_user, client_id=assigned.pk)


def test_search_filters_and_archived(cast: Cast, make_client: MakeClient) -> None:
    ann = make_client(first_name="Ann", last_name="Lee", email="ann@example.org")
    bob = make_client(first_name="Bob", last_name="Lee", preferred_name="Bobby")
    gone = make_client(first_name="Ann", last_name="Gone")
    with cast.a.schema():
        Client.objects.filter(pk=bob.pk).update(portal_status=PortalStatus.INVITED)
        client_archive(actor=cast.a.owner, client=gone)

        def pks(**filters: object) -> list[int]:
            return [c.pk for c in client_list(viewer=cast.a.owner, **filters)]  # type: ignore[arg-type]

        assert pks(search="lee") == [ann.pk, bob.pk]
        assert pks(search="ann") == [ann.pk]
        assert pks(search="ann", include_archived=True) == [gone.pk, ann.pk]
        assert pks(search="bobby lee") == [bob.pk]
        assert pks(search="ANN@EXAMPLE") == [ann.pk]
        assert pks(portal_status=PortalStatus.INVITED) == [bob.pk]


def test_an_import_is_all_or_nothing(cast: Cast, make_client: MakeClient) -> None:
    make_client(email="taken@example.org")
    with cast.a.schema():
        before = list(Client.objects.values_list("pk", flat=True))
        audit_before = AuditEntry.objects.count()
        rows = [
            ClientData(first_name="First", last_name="Fine", email="fine@example.org"),
            ClientData(first_name="Second", last_name="Clash", email="Taken@example.org"),
        ]
        with pytest.raises(ValidationError, match="already belong to clients"):
            client_import(actor=cast.a.owner, rows=rows)
        with pytest.raises(ValidationError, match="cannot be imported"):
            client_import(actor=cast.a.owner, rows=[rows[0], rows[0]])
        assert list(Client.objects.values_list("pk", flat=True)) == before
        assert AuditEntry.objects.count() == audit_before
        imported = client_import(actor=cast.a.owner, rows=rows[:1])
        assert [c.email for c in imported] == ["fine@example.org"]
        assert AuditEntry.objects.get(action="client.imported").detail == {"count": 1}
