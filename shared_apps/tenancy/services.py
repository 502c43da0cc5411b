"""Changes to a practice's own row that are not provisioning (renaming it, its time zone), and
forgetting the cached host lookups that every change of a practice or its domains must drop."""

from __future__ import annotations

import zoneinfo

from django.core.cache import caches
from django.db import transaction

from shared_apps.tenancy.errors import PracticeProfileError
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import host_cache_key, practice_hosts

PRACTICE_NAME_MAX_LENGTH = 200  # Practice.name


def practice_host_cache_forget(*hosts: str) -> None:
    """Drop cached host lookups. Every service that changes a practice or its domains calls this."""
    caches["platform"].delete_many([host_cache_key(host) for host in hosts])


def practice_profile_update(*, practice: Practice, name: str, time_zone: str) -> Practice:
    """Change the practice's name and time zone (Settings > Portal), under a row lock.

    Raises PracticeProfileError for an empty or too long name or an unknown time zone. Runs
    inside the caller's transaction (whose audit entry records the change); the cached host
    lookups are forgotten at once (so the portal shows the new name on the next request) and
    again after commit (a request in between could have cached the old row).
    """
    name = name.strip()
    if not name:
        raise PracticeProfileError("The practice needs a name.")
    if len(name) > PRACTICE_NAME_MAX_LENGTH:
        raise PracticeProfileError("The practice name is too long.")
    if time_zone not in zoneinfo.available_timezones():
        raise PracticeProfileError(
            f"“{time_zone}” is not a time zone. Use a name such as Europe/London."
        )
    with transaction.atomic():
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        locked.name = name
        locked.time_zone = time_zone
        locked.save(update_fields=["name", "time_zone", "updated_at"])
    hosts = practice_hosts(locked)
    practice_host_cache_forget(*hosts)
    transaction.on_commit(lambda: practice_host_cache_forget(*hosts))
    return locked
