"""Local development: `make dev`. Defaults point at the embedded stack the dev command starts."""

from __future__ import annotations

from config.embedded.layout import EmbeddedLayout
from config.settings.base import *

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
PORTICO_SCHEME = env.str("PORTICO_SCHEME", default="http")
PORTICO_DEV_PORT = env.int("PORTICO_DEV_PORT", default=8000)

# Without DATABASE_URL / REDIS_URL / PORTICO_S3_ENDPOINT_URL, talk to the embedded services that
# `make dev` runs (see config/embedded/), so `manage.py shell` works beside it.
_embedded = EmbeddedLayout(VAR_DIR / "dev")
if not DATABASE_URL:
    DATABASES["default"].update(_embedded.database_settings())
REDIS_URL = env.str("REDIS_URL", default=_embedded.redis_url)
for _cache in CACHES.values():
    _cache["LOCATION"] = redis_url_with_db(REDIS_URL, 1)
PORTICO_S3_ENDPOINT_URL = PORTICO_S3_ENDPOINT_URL or _embedded.dev_s3_endpoint_url
CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = s3_connect_src(
    PORTICO_S3_ENDPOINT_URL, AWS_REGION
)

# Sent mail is kept as JSON files and listed at http://localhost:8000/dev/mailbox/.
EMAIL_BACKEND = "shared_apps.devmailbox.backend.MailboxEmailBackend"
PORTICO_DEV_MAILBOX_DIR = VAR_DIR / "dev" / "mailbox"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# Serve static files straight from the apps; production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
