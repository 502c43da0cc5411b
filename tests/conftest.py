"""Session fixtures: the public schema and practices A and B are built once per test session.

Each test then runs inside a transaction (pytest-django's `db`), so nothing a test writes survives
it. Practice schemas are created by the real provisioning service (migrations), once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.core.cache import caches

from provisioning.services import (
    practice_client_account_create,
    practice_create_migrated,
    practice_staff_create,
)
from shared_apps.accounts.models import StaffRole, User
from shared_apps.tenancy.models import Practice
from tests.cast import PASSWORD, Cast, PracticeCast
from tests.phi_log_guard import LogCollector, lines_with_phi

_log_collector = LogCollector()
_cast_phi: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _collect_log_lines() -> Iterator[None]:
    """Installed after Django's logging configuration (which replaces the root handlers)."""
    root = logging.getLogger()
    root.addHandler(_log_collector)
    yield
    root.removeHandler(_log_collector)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = lines_with_phi(_log_collector.lines, _cast_phi)
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("PHI found in log lines produced by the tests:", red=True)
            for line in leaks[:20]:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _staff(practice: Practice, subdomain: str, role: StaffRole, first: str, last: str) -> User:
    return practice_staff_create(
        practice=practice,
        email=f"{role}@{subdomain}.example.com",
        password=PASSWORD,
        role=role,
        first_name=f"{first}{subdomain.upper()}",
        last_name=last,
    )


def _practice_cast(name: str, subdomain: str, *, with_clinician: bool) -> PracticeCast:
    practice = practice_create_migrated(name=name, subdomain=subdomain)
    owner = _staff(practice, subdomain, StaffRole.OWNER, "Olivia", "Ownerson")
    clinician = (
        _staff(practice, subdomain, StaffRole.CLINICIAN, "Cleo", "Clinic")
        if with_clinician
        else None
    )
    client_user = practice_client_account_create(
        practice=practice,
        email=f"client@{subdomain}.example.com",
        password=PASSWORD,
        first_name=f"Quinn{subdomain.upper()}",
        last_name="Clientworth",
    )
    return PracticeCast(
        practice=practice,
        host=f"{subdomain}.localhost",
        owner=owner,
        client_user=client_user,
        clinician=clinician,
    )


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: pytest.FixtureRequest,
) -> Iterator[None]:
    """pytest-django's set-up, but always for the default database: it would otherwise skip it
    when the selected tests only use committed data outside a test transaction (threads, the
    live server), and they would silently reach the development database."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases={"default"},  # type: ignore[arg-type]  # stubs say Mapping; Django takes names
            serialized_aliases=set(),
        )
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        teardown_databases(config, verbosity=verbosity)


@pytest.fixture(scope="session")
def cast(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Cast:
    """Practices A and B with their people, built once on top of pytest-django's test database
    (whose `migrate` is django-tenants' `migrate_schemas`: the public schema)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        built = Cast(
            a=_practice_cast("Practice A", "a", with_clinician=True),
            b=_practice_cast("Practice B", "b", with_clinician=False),
        )
    _cast_phi.extend(built.phi())
    return built


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Cached host lookups and cache entries written by one test never leak into the next."""
    yield
    for alias in ("default", "platform"):
        caches[alias].clear()


@pytest.fixture
def in_practice_a(cast: Cast) -> Iterator[PracticeCast]:
    with cast.a.schema():
        yield cast.a


@pytest.fixture
def in_practice_b(cast: Cast) -> Iterator[PracticeCast]:
    with cast.b.schema():
        yield cast.b
