"""Browser tests: Debian's chromium driven by Playwright against a live server on loopback.

The live server reads data committed by the session fixtures (no per-test transaction can be
seen from its thread), so browser tests use practices made once for the session and clean up
whatever else they create.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def portal_server(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """A live server with the demo practice (made by the same command `make dev` runs).
    Yields the port: practices answer at http://<subdomain>.localhost:<port>/."""
    with django_db_blocker.unblock():
        with override_settings(DEBUG=True):
            call_command("ensure_demo_practice", stdout=open("/dev/null", "w"))  # noqa: SIM115
        server = LiveServer("localhost:0")
        try:
            yield server.url.rsplit(":", 1)[1]
        finally:
            server.stop()
            _close_lingering_connections()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Chromium for one module. Playwright's sync API keeps an event loop running in the test
    thread, and Django would refuse the tests' own (synchronous, safe) database work meanwhile;
    the permission to do it ends with the module, before any other test runs."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Browser tests need Debian's chromium on PATH: `apt-get install chromium`.")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def _close_lingering_connections() -> None:
    """The live server answers each request in a daemon thread; one still holding a browser's
    keep-alive socket keeps its database session, and the test database could not be dropped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
