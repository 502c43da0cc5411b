"""Brute-force brake on the console's password step: after 5 failures for one email within 15
minutes, that email cannot sign in until the window passes (DESIGN.md §11.4). Kept in the
`platform` cache, keyed by a hash of the email."""

from __future__ import annotations

import hashlib

from django.core.cache import caches

from shared_apps.accounts.models import normalize_email

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
BLOCKED_MESSAGE = "Too many failed attempts for this account. Try again in 15 minutes."


def _key(email: str) -> str:
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return f"console:sign-in-failures:{digest}"


def sign_in_blocked(email: str) -> bool:
    failures = caches["platform"].get(_key(email), 0)
    return isinstance(failures, int) and failures >= MAX_FAILURES


def sign_in_failed(email: str) -> None:
    cache = caches["platform"]
    key = _key(email)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)


def sign_in_succeeded(email: str) -> None:
    caches["platform"].delete(_key(email))
