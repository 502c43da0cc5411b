"""Sign-in throttling, per practice: failures are counted per account and per IP address, with
separate budgets, so that one proxy or one clinic's NAT can never lock a practice out.

- The account: after `PORTICO_SIGNIN_MAX_FAILURES` failures it is locked for
  `PORTICO_SIGNIN_LOCK_SECONDS`; every attempt on it (the correct password too) is refused.
- The IP address (the client's, read through the trusted proxies by `client_ip`): after
  `PORTICO_SIGNIN_IP_MAX_FAILURES` wrong passwords over any accounts it is locked for
  `PORTICO_SIGNIN_LOCK_SECONDS`, and only its wrong passwords are refused from then on: a correct
  password for an account that is not itself locked still signs in. Guessing from a locked IP
  stays bounded by the per-account budget, which every wrong password is still charged to. IPv6
  addresses are counted per /64, the block one subscriber gets.

Counters live in the `default` cache (Redis), whose keys already carry the current schema; the
schema is part of our key as well, so that a shared cache without that key function would still
keep practices apart. A lock stores its deadline and is checked against the clock rather than
trusting only the cache entry's TTL, so that tests can travel in time and a cache with a coarse TTL
never unlocks early.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from shared_apps.accounts.models import normalize_email
from shared_apps.tenancy.db import current_schema_name

IPV6_SUBSCRIBER_PREFIX = 64


@dataclass(frozen=True)
class SignInScope:
    """The two counters one sign-in attempt is charged to."""

    account_key: str
    ip_key: str


@dataclass(frozen=True)
class SignInFailure:
    """What one wrong attempt did: `locked_now` when it locked the account or the IP,
    `is_refused` when it must be answered as locked (HTTP 429): the account is locked, or the IP
    was already over its budget."""

    locked_now: bool
    is_refused: bool


def _ip_bucket(ip: str | None) -> str:
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_SUBSCRIBER_PREFIX), strict=False))
    return str(address)


def signin_scope(*, email: str, ip: str | None) -> SignInScope:
    """Cache keys for an attempt on `email` from `ip` (from `client_ip`) in the current practice.
    The email is only ever stored as a SHA-256 of its lower-cased form (no address in Redis)."""
    schema = current_schema_name()
    email_digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return SignInScope(
        account_key=f"signin:{schema}:account:{email_digest}",
        ip_key=f"signin:{schema}:ip:{_ip_bucket(ip)}",
    )


def _is_locked(key: str) -> bool:
    deadline = cache.get(f"{key}:locked-until")
    return deadline is not None and float(deadline) > time.time()


def _failure_count(key: str, *, limit: int) -> bool:
    """Count one failure on `key`; True when it reached `limit` and locked the key (the counter
    starts again from zero)."""
    lock_seconds = settings.PORTICO_SIGNIN_LOCK_SECONDS
    # add() then incr(): atomic in Redis, so parallel guesses cannot slip under the limit.
    cache.add(key, 0, timeout=lock_seconds)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=lock_seconds)
        failures = 1
    if failures < limit:
        return False
    cache.set(f"{key}:locked-until", time.time() + lock_seconds, timeout=lock_seconds)
    cache.delete(key)
    return True


def signin_account_is_locked(scope: SignInScope) -> bool:
    """Whether the account is locked right now: then every attempt on it is refused."""
    return _is_locked(scope.account_key)


def signin_failure_count(scope: SignInScope) -> SignInFailure:
    """Charge one wrong attempt to the account and, unless it is already locked, to the IP."""
    account_locked_now = _failure_count(
        scope.account_key, limit=settings.PORTICO_SIGNIN_MAX_FAILURES
    )
    ip_was_locked = _is_locked(scope.ip_key)
    ip_locked_now = not ip_was_locked and _failure_count(
        scope.ip_key, limit=settings.PORTICO_SIGNIN_IP_MAX_FAILURES
    )
    return SignInFailure(
        locked_now=account_locked_now or ip_locked_now,
        is_refused=account_locked_now or ip_was_locked,
    )


def signin_success_count(scope: SignInScope) -> None:
    """A successful sign-in clears the account's failures; the IP's stay (one valid account must
    not let an attacker reset the count for the others)."""
    cache.delete(scope.account_key)
