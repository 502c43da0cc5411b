"""Links in the emails the outbox sends: absolute, on the practice's own portal host, made of
paths and ids only (no PHI in a URL). Emails name the practice and link to the portal."""

from __future__ import annotations

from django.http import HttpRequest

from shared_apps.tenancy.db import current_schema_name
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import host_url, practice_primary_host


def email_practice(request: HttpRequest | None) -> Practice:
    """The practice an email is from: `request`'s, or without one (a task) the current schema's."""
    practice = getattr(request, "tenant", None) if request is not None else None
    if isinstance(practice, Practice):
        return practice
    return Practice.objects.get(schema_name=current_schema_name())


def portal_link(
    path: str, *, request: HttpRequest | None = None, practice: Practice | None = None
) -> str:
    """An absolute link to `path` (e.g. `reverse(...)`) for an email from `practice` (default:
    `email_practice(request)`): on its primary host, or, while it has none, on the host `request`
    came in on (without the port: `host_url` adds the dev server's). Raises
    `Practice.DoesNotExist` when neither is known."""
    host = practice_primary_host(practice or email_practice(request))
    if host is None and request is not None:
        host = request.get_host().partition(":")[0]
    if host is None:
        raise Practice.DoesNotExist("The practice has no primary domain.")
    return host_url(host, path)
