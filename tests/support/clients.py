"""Clients of a practice made in tests."""

from __future__ import annotations

from collections.abc import Callable

from tenant_apps.clients.models import Client

# The `make_client` fixture (tests/integration/conftest.py): keyword fields of `ClientData`, and
# `actor=` (A's owner unless given).
MakeClient = Callable[..., Client]
