"""The test suite: `make test` starts the embedded stack and passes its addresses in the env."""

from __future__ import annotations

from config.embedded.layout import EmbeddedLayout
from config.settings.base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PORTICO_SCHEME = "http"

_embedded = EmbeddedLayout(VAR_DIR / "test")
if not DATABASE_URL:
    DATABASES["default"].update(_embedded.database_settings())
REDIS_URL = env.str("REDIS_URL", default=_embedded.redis_url)
for _cache in CACHES.values():
    _cache["LOCATION"] = redis_url_with_db(REDIS_URL, 1)

# Fast hashing keeps the suite quick; production hashing (Argon2 first) is asserted in its own test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str(
    "PORTICO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
# The outbox tests' worker processes send over SMTP to a sink on loopback (tests/.../outbox/).
EMAIL_HOST = env.str("PORTICO_EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("PORTICO_EMAIL_PORT", default=25)
# Test hook of the outbox relay (tenant_apps/notifications/relay.py): only these settings define it,
# so it does not exist in dev or production.
PORTICO_OUTBOX_TEST_HOLD_DIR = env.str("PORTICO_OUTBOX_TEST_HOLD_DIR", default="") or None
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# Serve static files straight from the apps; production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# INFO, so that the PHI guard in tests/conftest.py reads every line the code logs.
LOGGING["root"]["level"] = "INFO"
