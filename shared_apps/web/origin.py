"""Where a request came from, read once at the edge: the client's IP behind trusted proxies, the
user agent and the request id. Services that record an origin (the audit log, signature evidence)
take a `RequestOrigin`, never the request, so a task or a command can call them too."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from shared_apps.accounts.models import User
from shared_apps.web.request_context import request_context

USER_AGENT_MAX = 300

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestOrigin:
    """The client's IP (None when unknown), its user agent (cut to 300 characters) and the id of
    the request in the logs."""

    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


@lru_cache(maxsize=8)
def _trusted_networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`value` as an address, or None. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a
    dual-stack socket reports for an IPv4 peer) is read as the IPv4 address, so that it matches
    IPv4 CIDRs and counts as the same client."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[IPNetwork, ...]
) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Only when the peer (`REMOTE_ADDR`) is one of
    `PORTICO_TRUSTED_PROXIES` is `X-Forwarded-For` read, from the right, skipping the trusted
    hops: the first untrusted address is the client. A header sent by an untrusted peer is
    ignored (anyone can write one), and so is a malformed hop (the last trusted one is kept)."""
    peer = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = _trusted_networks(tuple(settings.PORTICO_TRUSTED_PROXIES))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse_ip(hop)
        if address is None:
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def request_origin(request: HttpRequest) -> RequestOrigin:
    """The origin of `request`, for services that record one. Cached on the request."""
    cached = getattr(request, "_portico_origin", None)
    if isinstance(cached, RequestOrigin):
        return cached
    origin = RequestOrigin(
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
        request_id=request_context.request_id(),
    )
    request._portico_origin = origin  # type: ignore[attr-defined]
    return origin


def request_actor(request: HttpRequest) -> User | None:
    """Who is signed in on `request`, or None: the `actor` of a service called from a page anyone
    may open (sign-in, forgot password)."""
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None
