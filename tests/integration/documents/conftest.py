"""Objects written to the test bucket are not rolled back with the database: every test here
cleans up what it added (see `tests.support.storage`). Also lends the storage tests'
fake clamd."""

from __future__ import annotations

from tests.support.clamd import clamd_unix  # noqa: F401 - a fixture
from tests.support.storage import clean_bucket  # noqa: F401 - an autouse fixture
