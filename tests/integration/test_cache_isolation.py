"""Cache keys carry the practice's schema (django_tenants.cache.make_key)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_cache_is_configured_with_the_tenant_key_function() -> None:
    assert settings.CACHES["default"]["KEY_FUNCTION"] == "django_tenants.cache.make_key"


def test_a_value_cached_in_a_is_invisible_in_b_and_in_public(cast: Cast) -> None:
    with cast.a.schema():
        cache.set("unread-count", 7)
        assert cache.get("unread-count") == 7
    with cast.b.schema():
        assert cache.get("unread-count") is None
        cache.set("unread-count", 1)
    assert cache.get("unread-count") is None
    with cast.a.schema():
        assert cache.get("unread-count") == 7
