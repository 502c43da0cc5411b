"""Objects written to the test bucket are not rolled back with the database: every test here
cleans up what it added (see `tests.integration.storage.support`)."""

from __future__ import annotations

from tests.integration.storage.support import clean_bucket  # noqa: F401 - an autouse fixture
