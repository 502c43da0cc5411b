"""The client's IP behind trusted proxies (shared_apps/web/origin.py) and the check of
`PORTICO_TRUSTED_PROXIES` when the settings load (config/trusted_proxies.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory

from config.trusted_proxies import trusted_proxies_parse
from shared_apps.web.origin import client_ip, request_origin

PROXY = "10.0.0.7"
PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def _request(remote_addr: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(
    settings: Any,
) -> None:
    settings.PORTICO_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert client_ip(_request(PROXY, "198.51.100.1")) == PROXY


def test_behind_a_trusted_proxy_the_header_is_read_from_the_right(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    assert client_ip(_request(PROXY, "198.51.100.1")) == "198.51.100.1"
    # Two trusted hops (a load balancer, then the ingress): both are skipped.
    assert client_ip(_request(PROXY, "198.51.100.1, 10.0.0.9")) == "198.51.100.1"
    # Whatever the client wrote on the left is not believed: the first untrusted hop from the
    # right is the client.
    assert client_ip(_request(PROXY, "192.0.2.66, 198.51.100.1, 10.0.0.9")) == "198.51.100.1"
    # Several X-Forwarded-For headers reach WSGI joined with commas; blanks are skipped.
    assert client_ip(_request(PROXY, " , 198.51.100.1 ,, ")) == "198.51.100.1"


def test_a_header_from_an_untrusted_peer_is_ignored(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    # The spoof: a client talking to gunicorn directly claims to be someone else, or to be a
    # trusted proxy forwarding someone else.
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert client_ip(_request("203.0.113.5", "198.51.100.1, 10.0.0.9")) == "203.0.113.5"


def test_only_trusted_hops_give_the_leftmost_one(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    assert client_ip(_request(PROXY, "10.0.0.2, 10.0.0.9")) == "10.0.0.2"
    assert client_ip(_request(PROXY)) == PROXY
    assert client_ip(_request(PROXY, "")) == PROXY


@pytest.mark.parametrize(
    "bad_hop", ["unknown", "198.51.100.1:443", "[2001:db8::1]", "999.1.1.1", "<script>", "_hidden"]
)
def test_a_malformed_hop_stops_the_walk_at_the_last_trusted_address(
    settings: Any, bad_hop: str
) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    # Nothing left of a hop we cannot read is believed: the proxy that wrote it is the client.
    assert client_ip(_request(PROXY, f"198.51.100.1, {bad_hop}")) == PROXY
    assert client_ip(_request(PROXY, f"198.51.100.1, {bad_hop}, 10.0.0.9")) == "10.0.0.9"
    # Left of the client, a malformed hop is never reached.
    assert client_ip(_request(PROXY, f"{bad_hop}, 198.51.100.1")) == "198.51.100.1"


def test_ipv6(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    assert client_ip(_request("2001:db8:ffff::2", "2001:DB8:0:0::5")) == "2001:db8::5"
    assert client_ip(_request("2001:db8:ffff::2", "203.0.113.5, 2001:db8:ffff::9")) == (
        "203.0.113.5"
    )
    assert client_ip(_request("2001:db8:1::2", "203.0.113.5")) == "2001:db8:1::2"
    settings.PORTICO_TRUSTED_PROXIES = []
    assert client_ip(_request("2001:0db8::0001")) == "2001:db8::1"


def test_an_ipv4_mapped_peer_is_read_as_ipv4(settings: Any) -> None:
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; they must match IPv4 CIDRs.
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    assert client_ip(_request(f"::ffff:{PROXY}", "::ffff:198.51.100.1")) == "198.51.100.1"
    settings.PORTICO_TRUSTED_PROXIES = []
    assert client_ip(_request("::ffff:203.0.113.5")) == "203.0.113.5"


def test_an_unreadable_peer_is_unknown(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    assert client_ip(_request("", "198.51.100.1")) is None
    assert client_ip(_request("not-an-ip", "198.51.100.1")) is None


def test_request_origin_carries_the_client_ip_and_a_cut_user_agent(settings: Any) -> None:
    settings.PORTICO_TRUSTED_PROXIES = PROXIES
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1", HTTP_USER_AGENT="x" * 400
    )
    origin = request_origin(request)
    assert origin.ip == "198.51.100.1"
    assert origin.user_agent == "x" * 300
    assert request_origin(request) is origin


def test_trusted_proxies_are_read_in_canonical_form() -> None:
    assert trusted_proxies_parse([" 10.0.0.5", "10.1.2.3/8", "", "2001:DB8::/32 "]) == [
        "10.0.0.5/32",
        "10.0.0.0/8",
        "2001:db8::/32",
    ]
    assert trusted_proxies_parse([]) == []


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "proxy.internal", "10.0.0.0/8;", "2001:db8::/129"])
def test_a_malformed_trusted_proxy_is_refused_with_what_to_do(bad: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        trusted_proxies_parse(["10.0.0.0/8", bad])
    message = str(refused.value)
    assert f"PORTICO_TRUSTED_PROXIES holds {bad!r}, which is not an IP network." in message
    assert "comma-separated CIDRs" in message
