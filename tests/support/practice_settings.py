from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from tenant_apps.practice_settings.selectors import portal_settings
from tests.cast import PracticeCast


def settings_of(cast_practice: PracticeCast) -> dict[str, Any]:
    """The practice's portal settings row as a dict (created with the defaults if missing)."""
    with cast_practice.schema():
        return model_to_dict(portal_settings())
