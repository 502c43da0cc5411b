"""Reads of practices and their hosts."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

from shared_apps.tenancy.models import Domain, Practice

_NOT_FOUND = "not-found"
_NEGATIVE_SECONDS = 30


def _host_cache_key(host: str) -> str:
    return f"tenancy:host:{host}"


def practice_for_host(host: str) -> Practice | None:
    """The practice a host name routes to, or None. Cached per host (also the misses, briefly).

    Uses the `platform` cache, whose keys do not depend on the current schema.
    """
    cache = caches["platform"]
    key = _host_cache_key(host)
    cached = cache.get(key)
    if cached == _NOT_FOUND:
        return None
    if isinstance(cached, Practice):
        return cached
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None:
        cache.set(key, _NOT_FOUND, _NEGATIVE_SECONDS)
        return None
    practice: Practice = domain.tenant
    cache.set(key, practice, settings.PORTICO_HOST_CACHE_SECONDS)
    return practice


def practice_host_cache_forget(*hosts: str) -> None:
    """Drop cached host lookups. Every service that changes a practice or its domains calls this."""
    caches["platform"].delete_many([_host_cache_key(host) for host in hosts])


def practice_subdomain_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.PORTICO_DOMAIN}"


def practice_portal_url(practice: Practice) -> str:
    """The practice's portal address, e.g. `https://calm-minds.portico.example/`."""
    domain = Domain.objects.filter(tenant=practice, is_primary=True).first()
    if domain is None:
        raise Practice.DoesNotExist("The practice has no primary domain yet.")
    port = getattr(settings, "PORTICO_DEV_PORT", None)
    suffix = f":{port}" if port else ""
    return f"{settings.PORTICO_SCHEME}://{domain.domain}{suffix}/"
