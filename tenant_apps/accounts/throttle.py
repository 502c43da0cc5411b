"""Sign-in throttling, per practice: failures are counted per account and per IP address.

Counters live in the `default` cache (Redis), whose keys already carry the current schema; the
schema is part of our key as well, so that a shared cache without that key function would still
keep practices apart. After `PORTICO_SIGNIN_MAX_FAILURES` failures on an account or from an IP,
every attempt on it (the correct password too) is refused for `PORTICO_SIGNIN_LOCK_SECONDS`.

The lock stores its deadline and is checked against the clock rather than trusting only the cache
entry's TTL, so that tests can travel in time and a cache with a coarse TTL never unlocks early.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from shared_apps.accounts.models import normalize_email
from shared_apps.tenancy.db import current_schema_name


@dataclass(frozen=True)
class SignInScope:
    """The two counters one sign-in attempt is charged to."""

    account_key: str
    ip_key: str

    @property
    def keys(self) -> tuple[str, str]:
        return (self.account_key, self.ip_key)


def signin_scope(*, email: str, ip: str | None) -> SignInScope:
    """Cache keys for an attempt on `email` from `ip` in the current practice. The email is only
    ever stored as a SHA-256 of its lower-cased form (no address in Redis)."""
    schema = current_schema_name()
    email_digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return SignInScope(
        account_key=f"signin:{schema}:account:{email_digest}",
        ip_key=f"signin:{schema}:ip:{ip or 'unknown'}",
    )


def signin_is_locked(scope: SignInScope) -> bool:
    """Whether the account or the IP is locked out right now."""
    now = time.time()
    deadlines = cache.get_many([f"{key}:locked-until" for key in scope.keys])
    return any(float(deadline) > now for deadline in deadlines.values())


def signin_failure_count(scope: SignInScope) -> bool:
    """Count one failure on both counters. Returns True when this failure locked the account or
    the IP (the counter that reached the limit starts again from zero)."""
    lock_seconds = settings.PORTICO_SIGNIN_LOCK_SECONDS
    locked = False
    for key in scope.keys:
        # add() then incr(): atomic in Redis, so parallel guesses cannot slip under the limit.
        cache.add(key, 0, timeout=lock_seconds)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=lock_seconds)
            failures = 1
        if failures >= settings.PORTICO_SIGNIN_MAX_FAILURES:
            cache.set(f"{key}:locked-until", time.time() + lock_seconds, timeout=lock_seconds)
            cache.delete(key)
            locked = True
    return locked


def signin_success_count(scope: SignInScope) -> None:
    """A successful sign-in clears the account's failures; the IP's stay (one valid account must
    not let an attacker reset the count for the others)."""
    cache.delete(scope.account_key)
