"""Provisioning speed: warm-pool claim vs clone fallback vs django-tenants' default path, and the
claim again once many practices exist. DESIGN.md §12: claim ≤ 50 ms median; unchanged within 20%
at 1,000 practices.

    make bench-provision                      # 20 samples, 100 practices
    make bench-provision ARGS="--practices 1000"

Runs in its own database (`portico_bench` on the same server), made afresh and dropped at the end
(--keep keeps it). Owners' password hashes are computed before any timer starts. The last line
printed is a JSON object with the results.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from bench.database import bench_database_recreate, bench_django_setup, bench_finish

BENCH_DATABASE = "portico_bench"
BENCH_REDIS_DB = 14  # its queues; the cache stays in database 1 (host lookups of bench-* hosts)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(fraction * len(ordered)) - 1)]


def _timed(call: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    call(*args)
    return (time.perf_counter() - started) * 1000


def main() -> None:  # noqa: PLR0915 — a linear script reads best top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--practices", type=int, default=100, help="practices before the last claim"
    )
    parser.add_argument("--samples", type=int, default=30, help="practices timed per path")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = bench_database_recreate(BENCH_DATABASE)
    # Claims queue real messages (pool refill, confirmation email): keep them out of dev's queues.
    bench_django_setup(database_url=url, redis_db=BENCH_REDIS_DB)
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from provisioning.schemas import template_schema_ensure
    from provisioning.services import Owner, pool_practice_create, pool_refill, practice_claim
    from shared_apps.accounts.models import StaffRole, UserKind
    from shared_apps.tenancy.models import Domain, Practice, PracticeStatus
    from shared_apps.tenancy.selectors import practice_subdomain_host

    def say(text: str) -> None:
        print(text, flush=True)

    say(f"Bench database {BENCH_DATABASE}: migrating the public and template schemas…")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template_schema_ensure()
    owners = [
        Owner(email=f"owner{n}@bench.example.com", password_hash=make_password(f"pw-{n}-bench"))
        for n in range(args.samples)
    ]  # hashed here, before any timer: Argon2 is slow on purpose and is not provisioning
    counter = iter(range(10**9))

    def claim_one(owner: Owner) -> None:
        n = next(counter)
        practice_claim(name=f"Bench {n}", subdomain=f"bench-{n}", owner=owner)

    def settle() -> None:
        """What a database that grew over months looks like, made so now: creating hundreds of
        schemas in minutes leaves the catalogs full of dead rows and stale statistics, and
        gigabytes of dirty pages whose checkpoint would otherwise land in the middle of the
        timed claims. Measured the same way before (a) and before (d)."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
        say(f"  VACUUM (ANALYZE) and CHECKPOINT in {time.monotonic() - started:.1f} s")

    def claims(label: str) -> list[float]:
        say(f"  filling the pool with {args.samples + 1} practices (untimed)…")
        pool_refill(target=args.samples + 1)
        settle()
        # Untimed: migrations close Django's connection, and a web worker's is already open.
        claim_one(owners[0])
        say(f"  {label}: timing {args.samples} claims…")
        return [_timed(claim_one, owner) for owner in owners]

    def clone_fallback_one(owner: Owner) -> None:
        assert Practice.objects.filter(status=PracticeStatus.POOLED).count() == 0
        claim_one(owner)

    def default_path_one(owner: Owner) -> None:
        n = next(counter)
        practice = Practice(name=f"Default {n}", status=PracticeStatus.ACTIVE)
        practice.auto_create_schema = True  # django-tenants' own path: CREATE SCHEMA + migrate
        practice.save(verbosity=0)
        Domain.objects.create(
            domain=practice_subdomain_host(f"default-{n}"), tenant=practice, is_primary=True
        )
        from django_tenants.utils import schema_context

        from shared_apps.accounts.models import User

        with schema_context(practice.schema_name):
            User.objects.create(
                email=owner.email,
                password=owner.password_hash,
                kind=UserKind.STAFF,
                role=StaffRole.OWNER,
            )

    say("(a) claim from the warm pool")
    claim_at_start = claims("claim")
    say("(b) clone fallback (pool empty)")
    clone = [_timed(clone_fallback_one, owner) for owner in owners]
    say("(c) django-tenants' default path (auto_create_schema, migrations)")
    default = [_timed(default_path_one, owner) for owner in owners]

    existing = Practice.objects.count()
    to_make = max(0, args.practices - existing)
    say(f"(d) creating {to_make} more practices to reach {args.practices}…")
    started = time.monotonic()
    for made in range(1, to_make + 1):
        pool_practice_create(cloned=True)
        if made % 50 == 0 or made == to_make:
            elapsed = time.monotonic() - started
            say(f"    {made}/{to_make} in {elapsed:.0f} s ({elapsed / made:.2f} s each)")
    fill_seconds = time.monotonic() - started
    # Those practices are pooled; claiming must not get faster or slower because of them, so
    # count them as existing practices but keep the pool the same size as in (a).
    Practice.objects.filter(status=PracticeStatus.POOLED).update(status=PracticeStatus.SUSPENDED)
    n_practices = Practice.objects.count()
    claim_at_n = claims(f"claim with {n_practices} practices")

    rows = [
        ("claim from warm pool", claim_at_start),
        ("clone fallback (empty pool)", clone),
        ("django-tenants default (migrations)", default),
        (f"claim from warm pool, {n_practices} practices", claim_at_n),
    ]
    say(f"\n{'path':<44} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, values in rows:
        say(
            f"{name:<44} {statistics.median(values):>9.1f} {_percentile(values, 0.95):>9.1f}"
            f" {max(values):>9.1f}"
        )
    claim_p50 = statistics.median(claim_at_start)
    result = {
        "claim_ms_p50": round(claim_p50, 2),
        "claim_ms_p95": round(_percentile(claim_at_start, 0.95), 2),
        "clone_ms_p50": round(statistics.median(clone), 2),
        "default_ms_p50": round(statistics.median(default), 2),
        "claim_ms_p50_at_n": round(statistics.median(claim_at_n), 2),
        "claim_ms_p95_at_n": round(_percentile(claim_at_n, 0.95), 2),
        "n_practices": n_practices,
        "samples": args.samples,
        "fill_seconds": round(fill_seconds, 1),
        "speedup_vs_default": round(statistics.median(default) / claim_p50, 1),
        "claim_at_n_vs_start": round(statistics.median(claim_at_n) / claim_p50, 2),
    }
    bench_finish(database_url=url, keep=args.keep)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
