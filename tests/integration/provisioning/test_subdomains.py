"""Subdomain rules, each with the sentence a person sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shared_apps.tenancy.models import Domain
from shared_apps.tenancy.subdomains import SubdomainError, subdomain_validate
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ab", "between 3 and 40 characters"),
        ("a" * 41, "between 3 and 40 characters"),
        ("-calm", "start and end with a letter or digit"),
        ("calm-", "start and end with a letter or digit"),
        ("calm_minds", "only lowercase letters, digits and hyphens"),
        ("calm.minds", "only lowercase letters, digits and hyphens"),
        ("xn--calm", "third and fourth places are reserved"),
        ("www", "“www” is reserved"),
        ("console", "“console” is reserved"),
        ("api", "“api” is reserved"),
    ],
)
def test_invalid_and_reserved_subdomains_are_refused_with_their_reason(
    raw: str, message: str
) -> None:
    with pytest.raises(SubdomainError, match=message):
        subdomain_validate(raw)


def test_taken_subdomain_is_refused(cast: Cast) -> None:
    Domain.objects.create(domain="taken-name.localhost", tenant=cast.a.practice, is_primary=False)
    with pytest.raises(SubdomainError, match="“taken-name” is already taken"):
        subdomain_validate("Taken-Name")  # normalised first


def test_a_retired_subdomain_is_held_for_90_days(cast: Cast) -> None:
    Domain.objects.create(
        domain="old-name.localhost",
        tenant=cast.a.practice,
        is_primary=False,
        retired_at=timezone.now() - timedelta(days=89),
    )
    with pytest.raises(SubdomainError, match="already taken"):
        subdomain_validate("old-name")
    Domain.objects.filter(domain="old-name.localhost").update(
        retired_at=timezone.now() - timedelta(days=91)
    )
    assert subdomain_validate("old-name") == "old-name"


def test_a_good_subdomain_is_normalised() -> None:
    assert subdomain_validate("  Calm-Minds-2 ") == "calm-minds-2"
