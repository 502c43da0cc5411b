"""Request cost of host routing, in-process through Django's test client.

Run beside `make dev`'s data: `make bench` (uses the dev stack and the demo practice).
Baseline: `/healthz`, answered by the first middleware before any routing. Budget (DESIGN.md §12):
a client's home page median ≤ 15 ms in-process.
"""

from __future__ import annotations

import logging
import os
import sys

import django

RUNS = int(os.environ.get("BENCH_RUNS", "500"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    logging.disable(logging.WARNING)  # the 404 case would print a line per request
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from bench.timing import measure, print_table
    from provisioning.management.commands.ensure_demo_practice import DEMO_CLIENT
    from shared_apps.accounts.models import User
    from shared_apps.tenancy.selectors import practice_for_host

    host = "demo.localhost"
    practice = practice_for_host(host)
    if practice is None:
        sys.exit("No demo practice: run `make dev` once (it creates it), then `make bench`.")

    anonymous = Client(HTTP_HOST=host)
    signed_in = Client(HTTP_HOST=host)
    with schema_context(practice.schema_name):
        signed_in.force_login(User.objects.get(email=DEMO_CLIENT[0]))
    platform = Client(HTTP_HOST="localhost")
    stranger = Client(HTTP_HOST="nope.localhost")

    def uncached_home() -> None:
        caches["platform"].clear()
        anonymous.get("/")

    cases = [
        ("/healthz (baseline, no routing)", lambda: anonymous.get("/healthz")),
        ("platform home", lambda: platform.get("/")),
        ("unknown host → 404 page", lambda: stranger.get("/")),
        ("practice home, anonymous (host cached)", lambda: anonymous.get("/")),
        ("practice home, anonymous (host not cached)", uncached_home),
        ("practice home, signed-in client", lambda: signed_in.get("/")),
    ]
    print(f"{RUNS} requests per case, Django test client, in-process\n")
    print_table([(name, measure(call, runs=RUNS)) for name, call in cases], baseline=cases[0][0])

    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/")
    print(f"\nqueries for a signed-in client's home page: {len(queries)}")


if __name__ == "__main__":
    main()
