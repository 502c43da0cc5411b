"""Production: refuses to start without the secrets and addresses it needs."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *

DEBUG = False

_REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PORTICO_DOMAIN")
_missing = [name for name in _REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured(
        "Portico will not start in production without "
        + ", ".join(_missing)
        + ". Set them in the environment (see the configuration table in README.md)."
    )
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY is too short for production: use at least 50 random characters, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

PORTICO_SCHEME = "https"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("PORTICO_SSL_REDIRECT", default=True)
SECURE_HSTS_PRELOAD = env.bool("PORTICO_HSTS_PRELOAD", default=True)
if env.bool("PORTICO_BEHIND_TLS_PROXY", default=True):
    # The TLS-terminating proxy sets X-Forwarded-Proto; Portico trusts only that header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env.str(
    "PORTICO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.str("PORTICO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("PORTICO_EMAIL_PORT", default=587)
EMAIL_USE_TLS = env.bool("PORTICO_EMAIL_USE_TLS", default=True)
EMAIL_HOST_USER = env.str("PORTICO_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("PORTICO_EMAIL_PASSWORD", default="")
DEFAULT_FROM_EMAIL = env.str("PORTICO_EMAIL_FROM", default=f"Portico <no-reply@{PORTICO_DOMAIN}>")
