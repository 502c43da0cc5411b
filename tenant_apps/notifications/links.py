"""Links in the emails the outbox sends: absolute, on the practice's own portal host, made of
paths and ids only (no PHI in a URL). Emails name the practice and link to the portal."""

from __future__ import annotations

from shared_apps.tenancy.context import current_practice
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import host_url, practice_primary_host


def portal_link(path: str, *, practice: Practice | None = None) -> str:
    """An absolute link to `path` (e.g. `reverse(...)`) on the primary host of `practice`
    (default: `current_practice()`), without the port (`host_url` adds the dev server's).
    Raises `Practice.DoesNotExist` when the practice has no primary domain (a pooled practice:
    no one can be emailed from it)."""
    host = practice_primary_host(practice or current_practice())
    if host is None:
        raise Practice.DoesNotExist("The practice has no primary domain.")
    return host_url(host, path)
