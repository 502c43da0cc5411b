"""Reads of practices and their hosts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from shared_apps.tenancy.models import Domain, Practice

_NOT_FOUND = "not-found"
_NEGATIVE_SECONDS = 30


@dataclass(frozen=True)
class HostRoute:
    """Where a host name leads: a practice, and the host to redirect to if this one is retired."""

    practice: Practice
    redirect_host: str | None = None


def host_cache_key(host: str) -> str:
    """The `platform` cache key of `host`'s lookup (tenancy/services.py forgets it)."""
    return f"tenancy:host:{host}"


def host_route(host: str) -> HostRoute | None:
    """Where `host` routes, or None. Cached per host (the misses too, briefly) in the `platform`
    cache, whose keys do not depend on the current schema."""
    cache = caches["platform"]
    key = host_cache_key(host)
    cached = cache.get(key)
    if cached == _NOT_FOUND:
        return None
    if isinstance(cached, HostRoute):
        return cached
    route = _host_route_uncached(host)
    if route is None:
        cache.set(key, _NOT_FOUND, _NEGATIVE_SECONDS)
    else:
        cache.set(key, route, settings.PORTICO_HOST_CACHE_SECONDS)
    return route


def _host_route_uncached(host: str) -> HostRoute | None:
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None:
        return None
    if domain.retired_at is None:
        return HostRoute(practice=domain.tenant)
    primary = Domain.objects.filter(tenant=domain.tenant, is_primary=True).first()
    if primary is None:
        return None
    return HostRoute(practice=domain.tenant, redirect_host=primary.domain)


def practice_for_host(host: str) -> Practice | None:
    """The practice a host routes to (also through a retired subdomain), or None."""
    route = host_route(host)
    return None if route is None else route.practice


def practice_hosts(practice: Practice) -> list[str]:
    return list(Domain.objects.filter(tenant=practice).values_list("domain", flat=True))


def practice_subdomain_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.PORTICO_DOMAIN}"


def practice_primary_host(practice: Practice) -> str | None:
    return (
        Domain.objects.filter(tenant=practice, is_primary=True)
        .values_list("domain", flat=True)
        .first()
    )


def practice_subdomain(practice: Practice) -> str | None:
    """The primary host's subdomain under the platform domain, if it has one."""
    host = practice_primary_host(practice)
    suffix = f".{settings.PORTICO_DOMAIN}"
    if host is None or not host.endswith(suffix):
        return None
    return host.removesuffix(suffix)


def host_url(host: str, path: str = "/") -> str:
    """An absolute URL on `host`, with the dev server's port when there is one."""
    port = getattr(settings, "PORTICO_DEV_PORT", None)
    suffix = f":{port}" if port else ""
    return f"{settings.PORTICO_SCHEME}://{host}{suffix}{path}"


def practice_portal_url(practice: Practice) -> str:
    """The practice's portal address, e.g. `https://calm-minds.portico.example/`."""
    host = practice_primary_host(practice)
    if host is None:
        raise Practice.DoesNotExist("The practice has no primary domain yet.")
    return host_url(host)
