"""The format rules of a portal address (`subdomain_check_format`): a DNS label of 3 to 40
lowercase letters, digits and hyphens, not reserved. Whether it is taken needs the database and is
tested with sign-up."""

from __future__ import annotations

import pytest

from shared_apps.tenancy.subdomains import (
    MAX_LENGTH,
    MIN_LENGTH,
    RESERVED_SUBDOMAINS,
    SubdomainError,
    subdomain_check_format,
    subdomain_normalize,
)


def test_typed_addresses_are_trimmed_and_lowercased() -> None:
    assert subdomain_normalize("  Calm-Minds ") == "calm-minds"


@pytest.mark.parametrize(
    "subdomain", ["abc", "calm-minds", "a1-b2", "x" * MAX_LENGTH, "3rd-street"]
)
def test_dns_labels_of_the_right_length_are_accepted(subdomain: str) -> None:
    subdomain_check_format(subdomain)


@pytest.mark.parametrize(
    ("subdomain", "message"),
    [
        ("x" * (MIN_LENGTH - 1), "between 3 and 40 characters"),
        ("x" * (MAX_LENGTH + 1), "between 3 and 40 characters"),
        ("-calm", "start and end with a letter or digit"),
        ("calm-", "start and end with a letter or digit"),
        ("calm_minds", "only lowercase letters, digits and hyphens"),
        ("calm.minds", "only lowercase letters, digits and hyphens"),
        ("Calm", "only lowercase letters, digits and hyphens"),
        ("xn--calm", "third and fourth places are reserved"),
        ("www", "is reserved"),
        ("portico", "is reserved"),
    ],
)
def test_other_addresses_are_refused_with_the_reason(subdomain: str, message: str) -> None:
    with pytest.raises(SubdomainError, match=message):
        subdomain_check_format(subdomain)


def test_every_reserved_address_is_itself_a_valid_label() -> None:
    """A reserved word that could never be typed would protect nothing."""
    for subdomain in RESERVED_SUBDOMAINS:
        with pytest.raises(SubdomainError, match="is reserved"):
            subdomain_check_format(subdomain)
