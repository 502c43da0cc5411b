"""Suspend, resume, change subdomain: what a practice's clients see after each."""

from __future__ import annotations

import pytest
from django.test import Client

from provisioning.services import (
    ProvisioningError,
    practice_change_subdomain,
    practice_resume,
    practice_suspend,
)
from shared_apps.tenancy.models import PracticeEvent, PracticeStatus
from shared_apps.tenancy.subdomains import SubdomainError
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_suspend_makes_the_portal_unavailable_and_resume_brings_it_back(cast: Cast) -> None:
    http = cast.a.http()
    assert http.get("/").status_code == 200  # the host lookup is now cached

    practice_suspend(practice=cast.a.practice, actor="operator:1")
    assert http.get("/").status_code == 503
    assert http.get("/sign-in/").status_code == 503
    assert cast.b.http().get("/").status_code == 200

    practice = practice_resume(practice=cast.a.practice, actor="operator:1")
    assert practice.status == PracticeStatus.ACTIVE
    assert http.get("/").status_code == 200
    kinds = list(
        PracticeEvent.objects.filter(practice_uuid=cast.a.practice.uuid).values_list(
            "kind", flat=True
        )
    )
    assert kinds[:2] == ["resumed", "suspended"]


def test_suspend_and_resume_are_idempotent(cast: Cast) -> None:
    practice_suspend(practice=cast.a.practice, actor="system")
    practice_suspend(practice=cast.a.practice, actor="system")
    assert (
        PracticeEvent.objects.filter(practice_uuid=cast.a.practice.uuid, kind="suspended").count()
        == 1
    )
    practice_resume(practice=cast.a.practice, actor="system")
    practice_resume(practice=cast.a.practice, actor="system")
    assert (
        PracticeEvent.objects.filter(practice_uuid=cast.a.practice.uuid, kind="resumed").count()
        == 1
    )


def test_a_pooled_practice_cannot_be_suspended() -> None:
    from provisioning.services import pool_practice_create

    pooled = pool_practice_create(cloned=False)
    with pytest.raises(ProvisioningError, match="cannot be suspended"):
        practice_suspend(practice=pooled, actor="system")


def test_changing_the_subdomain_redirects_the_old_host_permanently(cast: Cast) -> None:
    old = cast.a.http()
    assert old.get("/sign-in/").status_code == 200  # cached before the change

    practice_change_subdomain(practice=cast.a.practice, subdomain="alpha-care", actor="system")

    response = Client(HTTP_HOST="a.localhost:8000").get("/sign-in/?next=/staff/")
    assert response.status_code == 301
    assert response["Location"] == "http://alpha-care.localhost:8000/sign-in/?next=/staff/"
    new = Client(HTTP_HOST="alpha-care.localhost")
    assert b"Practice A" in new.get("/").content


def test_the_old_subdomain_is_held_and_the_new_one_validated(cast: Cast) -> None:
    practice_change_subdomain(practice=cast.a.practice, subdomain="alpha-care", actor="system")
    with pytest.raises(SubdomainError, match="“alpha-care” is already taken"):
        practice_change_subdomain(practice=cast.b.practice, subdomain="alpha-care", actor="system")
    with pytest.raises(SubdomainError, match="reserved"):
        practice_change_subdomain(practice=cast.b.practice, subdomain="admin", actor="system")
