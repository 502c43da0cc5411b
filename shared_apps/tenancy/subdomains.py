"""Subdomain rules: a DNS label, not reserved, not taken (a retired one is held for 90 days)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from shared_apps.tenancy.models import Domain
from shared_apps.tenancy.selectors import practice_subdomain_host

SUBDOMAIN_HOLD_DAYS = 90
MIN_LENGTH = 3
MAX_LENGTH = 40
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "api",
        "admin",
        "console",
        "static",
        "media",
        "mail",
        "email",
        "smtp",
        "imap",
        "app",
        "apps",
        "portal",
        "status",
        "help",
        "support",
        "docs",
        "blog",
        "billing",
        "login",
        "signin",
        "signup",
        "account",
        "accounts",
        "auth",
        "sso",
        "oauth",
        "dashboard",
        "assets",
        "cdn",
        "files",
        "uploads",
        "dev",
        "test",
        "staging",
        "demo-admin",
        "ftp",
        "ns1",
        "ns2",
        "root",
        "system",
        "security",
        "abuse",
        "postmaster",
        "hostmaster",
        "webmaster",
        "portico",
    }
)


class SubdomainError(ValueError):
    """Why a subdomain cannot be used, as a sentence to show the person who typed it."""


_FORMAT_MESSAGE = (
    "Use only lowercase letters, digits and hyphens, and start and end with a letter or digit."
)


def subdomain_normalize(raw: str) -> str:
    """`raw` trimmed and lower-cased. Raises SubdomainError for anything not ASCII, before case
    folding: look-alike letters such as the Kelvin sign (U+212A) lower-case to ASCII ("k") and
    would otherwise pass as another address."""
    subdomain = raw.strip()
    if not subdomain.isascii():
        raise SubdomainError(_FORMAT_MESSAGE)
    return subdomain.lower()


def subdomain_check_format(subdomain: str) -> None:
    """Raise SubdomainError unless `subdomain` is an allowed DNS label (not checking ownership)."""
    if not MIN_LENGTH <= len(subdomain) <= MAX_LENGTH:
        raise SubdomainError(
            f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters for the portal address."
        )
    if not _LABEL.match(subdomain):
        raise SubdomainError(_FORMAT_MESSAGE)
    if subdomain[2:4] == "--":
        raise SubdomainError("Hyphens in the third and fourth places are reserved by DNS.")
    if subdomain in RESERVED_SUBDOMAINS:
        raise SubdomainError(f"“{subdomain}” is reserved. Please choose another address.")


def subdomain_is_taken(subdomain: str) -> bool:
    """Taken by an active domain, or retired from a practice less than 90 days ago."""
    held_since = timezone.now() - timedelta(days=SUBDOMAIN_HOLD_DAYS)
    return (
        Domain.objects.filter(domain=practice_subdomain_host(subdomain))
        .exclude(retired_at__lt=held_since)
        .exists()
    )


def subdomain_validate(raw: str) -> str:
    """The normalised subdomain, or SubdomainError saying exactly what is wrong with it."""
    subdomain = subdomain_normalize(raw)
    subdomain_check_format(subdomain)
    if subdomain_is_taken(subdomain):
        raise SubdomainError(f"“{subdomain}” is already taken. Please choose another address.")
    return subdomain
