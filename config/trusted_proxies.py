"""`PORTICO_TRUSTED_PROXIES`, checked when the settings load: a typo in a CIDR must stop the
process with a sentence saying what to fix, not fail on the first request (or, worse, silently
trust nobody and lock a practice out through the proxy's address)."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ImproperlyConfigured


def trusted_proxies_parse(values: list[str]) -> list[str]:
    """The CIDRs in `values` in canonical form (`10.0.0.5` becomes `10.0.0.5/32`, host bits are
    cleared). Raises `ImproperlyConfigured` naming the first value that is not an IP network."""
    networks = []
    for value in (item.strip() for item in values):
        if not value:
            continue
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"PORTICO_TRUSTED_PROXIES holds {value!r}, which is not an IP network. Give the "
                "addresses of your reverse proxies or load balancers as comma-separated CIDRs "
                "(e.g. 10.0.0.0/8,2001:db8::/32), or leave it empty when clients reach Portico "
                "directly."
            ) from None
        networks.append(str(network))
    return networks
