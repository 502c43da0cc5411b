"""Logging and Sentry. Log lines carry the practice's schema name and the request id, never PHI."""

from __future__ import annotations

from typing import Any

import environ

from config.sentry import sentry_init

_env = environ.Env()

LOG_LEVEL = _env.str("PORTICO_LOG_LEVEL", default="INFO")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "config.logging.RequestContextFilter"},
        "one_time_link": {"()": "shared_apps.web.one_time_link.OneTimeLinkLogFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(schema)s %(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own console handler, so each line is printed once, in our format.
        "django": {"level": "INFO", "propagate": True},
        "django.request": {"filters": ["one_time_link"]},
        "django.db.backends": {"level": "INFO"},
        "botocore": {"level": "WARNING"},
        "werkzeug": {"level": "WARNING"},
    },
}

SENTRY_DSN = _env.str("SENTRY_DSN", default="")
sentry_init(dsn=SENTRY_DSN, environment=_env.str("PORTICO_ENVIRONMENT", default="development"))
