"""Concurrent sign-ups against the real database: committed pooled practices, real threads.

Not in a test transaction: each thread has its own connection and must see committed rows. The
`committed` fixture removes every practice made here afterwards.
"""

from __future__ import annotations

import threading

from django.db import connections

from provisioning.services import pool_level, pool_refill, practice_claim
from shared_apps.tenancy.models import Practice, PracticeStatus
from shared_apps.tenancy.subdomains import SubdomainError
from tests.support.provisioning import owner


def test_concurrent_claims_never_share_a_schema(committed: list[Practice]) -> None:
    pool_refill(target=4)
    results: list[Practice | BaseException] = []
    start = threading.Barrier(4)

    def sign_up(number: int) -> None:
        try:
            start.wait()
            results.append(
                practice_claim(
                    name=f"Race {number}",
                    subdomain=f"race-{number}",
                    owner=owner(f"owner{number}@race.example.com"),
                )
            )
        except BaseException as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(isinstance(result, Practice) for result in results), results
    schemas = [result.schema_name for result in results]  # type: ignore[union-attr]
    assert len(set(schemas)) == 4
    active = Practice.objects.filter(status=PracticeStatus.ACTIVE, schema_name__in=schemas)
    assert active.count() == 4


def test_the_same_subdomain_requested_twice_at_once_has_exactly_one_winner(
    committed: list[Practice],
) -> None:
    pool_refill(target=2)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def sign_up(number: int) -> None:
        try:
            start.wait()
            practice_claim(
                name=f"Twin {number}",
                subdomain="twin-clinic",
                owner=owner(f"owner{number}@twin.example.com"),
            )
            outcomes.append("won")
        except SubdomainError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("won") == 1
    loser = next(o for o in outcomes if o != "won")
    assert "“twin-clinic”" in loser
    assert "taken" in loser
    assert Practice.objects.filter(domains__domain="twin-clinic.localhost").count() == 1
    assert pool_level() == 1  # the loser's pooled practice went back to the pool
