"""Which practice the current database connection works for, as storage sees it.

Storage imports no app: the answer comes from the function that the setting
`PORTICO_STORAGE_PRACTICE_UUID` names (dotted path, wired in `config/settings/`), so the keys and
the guard follow whatever the project calls "the current practice".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.utils.module_loading import import_string


def current_practice_uuid() -> uuid.UUID:
    """The uuid of the practice whose schema the connection is in. The configured function
    raises (a RuntimeError) in the public schema or a schema of no practice: storage must never
    guess whose files it is touching."""
    resolver = cast(Callable[[], uuid.UUID], import_string(settings.PORTICO_STORAGE_PRACTICE_UUID))
    return resolver()
