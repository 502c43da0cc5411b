"""Settings shared by every environment. Everything comes from the environment (12-factor).

The environment-specific modules (dev, test, production) import this one and change only what
differs; integrations (security headers, logging and Sentry, the embedded stack's defaults) live in
their own modules beside it.
"""

from __future__ import annotations

from pathlib import Path

import environ

from config.redis_url import redis_url_with_db
from config.settings.security import *
from config.trusted_proxies import trusted_proxies_parse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / ".var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")

# The platform host: sign-up and the operator console live at PORTICO_DOMAIN, each practice at
# <subdomain>.PORTICO_DOMAIN. Foreign Host headers are refused by Django's ALLOWED_HOSTS (400).
PORTICO_DOMAIN = env.str("PORTICO_DOMAIN", default="localhost").lower()
ALLOWED_HOSTS = [PORTICO_DOMAIN, f".{PORTICO_DOMAIN}", *env.list("PORTICO_EXTRA_HOSTS", default=[])]
# Scheme used in links that leave a request (emails, printed portal URLs).
PORTICO_SCHEME = env.str("PORTICO_SCHEME", default="https")

# --- Applications -------------------------------------------------------------------------------
# auth, contenttypes, sessions and accounts are in both lists: operators live in `public`, each
# practice has its own user and session tables (DESIGN.md §3).
IDENTITY_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "shared_apps.accounts",
]

SHARED_APPS = [
    "django_tenants",
    "shared_apps.tenancy",
    *IDENTITY_APPS,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "shared_apps.web",
    "shared_apps.devmailbox",
    "shared_apps.signup",
    "shared_apps.tasks",
    "provisioning",
    # Operators' 2FA devices and API tokens: public schema only (operators live nowhere else).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shared_apps.operators",
    "shared_apps.console",
]

TENANT_APPS = [
    *IDENTITY_APPS,
    # 2FA devices in every practice too: staff 2FA needs them, and a practice's own (empty) table
    # shadows public's, so deleting a practice user can never cascade into an operator's device.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tenant_apps.portal",
    "tenant_apps.staff",
    "tenant_apps.notifications",
    "tenant_apps.audit",
    "tenant_apps.practice_settings",
    "tenant_apps.accounts",
    "tenant_apps.clients",
    "tenant_apps.invitations",
    "tenant_apps.onboarding",
    "tenant_apps.staff_notifications",
    "tenant_apps.messaging",
    "tenant_apps.documents",
    "tenant_apps.forms",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenancy.Practice"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Set search_path only when the schema changes, not before every query (half the round trips);
# the savepoint-rollback bug this once had was fixed in django-tenants 4.0.
TENANT_LIMIT_SET_CALLS = True
ROOT_URLCONF = "config.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
# Warm pool of ready practice schemas that sign-up claims (DESIGN.md §4); 0 turns it off.
PORTICO_POOL_SIZE = env.int("PORTICO_POOL_SIZE", default=3)
# The schema the clone fallback copies; migrated with the practices by `migrate_all`.
PORTICO_TEMPLATE_SCHEMA = env.str("PORTICO_TEMPLATE_SCHEMA", default="portico_template")
# Host → practice lookups are cached this long; services drop the entry on any change.
PORTICO_HOST_CACHE_SECONDS = env.int("PORTICO_HOST_CACHE_SECONDS", default=300)

AUTH_USER_MODEL = "accounts.User"

# Header middleware sits above host routing so that its short-circuit pages (unknown host, portal
# unavailable) get the same headers as everything else.
MIDDLEWARE = [
    "shared_apps.health.middleware.HealthCheckMiddleware",
    "shared_apps.web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shared_apps.web.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shared_apps.tenancy.middleware.PracticeRoutingMiddleware",
    "shared_apps.tenancy.middleware.PracticeTimeZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shared_apps.tenancy.middleware.SessionSchemaGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs a person out after PORTICO_IDLE_TIMEOUT_SECONDS without activity (tenant_apps/accounts).
    "tenant_apps.accounts.idle.IdleTimeoutMiddleware",
    # A staff session pending its two-factor step reaches nothing else (tenant_apps/accounts).
    "tenant_apps.accounts.two_factor.StaffTwoFactorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tenant_apps.access.context_processors.viewer",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Data stores --------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": {
        **environ.Env.db_url_config(DATABASE_URL or "postgresql://postgres:@/portico"),
        "ENGINE": "django_tenants.postgresql_backend",
        # Recycle connections: each backend's catalog cache grows with every schema it touches.
        "CONN_MAX_AGE": env.int("PORTICO_DB_CONN_MAX_AGE", default=300),
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Dramatiq's queues live in REDIS_URL's database; the cache in the next one, so that clearing the
# cache can never drop a queued message. Redis down is a cache miss (config/cache.py): the portal
# keeps answering from PostgreSQL.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, 1),
        # Keys carry the schema they were written in, so practices never read each other's cache.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": "cache",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    },
    # Platform-wide entries (host → practice) whose keys must not depend on the current schema.
    "platform": {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, 1),
        "KEY_PREFIX": "platform",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    },
}

# --- Files (S3) ---------------------------------------------------------------------------------
PORTICO_S3_ENDPOINT_URL = env.str("PORTICO_S3_ENDPOINT_URL", default="") or None
PORTICO_S3_BUCKET = env.str("PORTICO_S3_BUCKET", default="portico")
AWS_REGION = env.str("AWS_DEFAULT_REGION", default="us-east-1")
# Uploads (storage/verify.py): the largest file accepted, and clamd's socket for the virus scan
# (`unix:/path` or `host:port`; unset: files are "not scanned").
PORTICO_UPLOAD_MAX_BYTES = env.int("PORTICO_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
PORTICO_CLAMD = env.str("PORTICO_CLAMD", default="")
# Storage imports no app: this function tells it whose prefix the current connection may touch.
PORTICO_STORAGE_PRACTICE_UUID = "shared_apps.tenancy.context.current_practice_uuid"
# PDFs of forms (tenant_apps/forms/pdf.py): a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf;
# unset: the usual Debian/Alpine font folders, else Helvetica with Latin-1 only.
PORTICO_PDF_FONT_DIR = env.str("PORTICO_PDF_FONT_DIR", default="")


def s3_connect_src(endpoint_url: str | None, region: str) -> list[str]:
    """CSP `connect-src`: this site, and the S3 origin that browsers post uploads to directly
    (presigned POST, from a static script). Settings that change the endpoint call it again."""
    s3 = (
        [endpoint_url.rstrip("/")]
        if endpoint_url
        else [f"https://s3.{region}.amazonaws.com", "https://s3.amazonaws.com"]
    )
    return [SELF, *s3]


CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = s3_connect_src(
    PORTICO_S3_ENDPOINT_URL, AWS_REGION
)

# --- Identity -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign-in"
SESSION_COOKIE_AGE = env.int("PORTICO_SESSION_SECONDS", default=60 * 60 * 12)
# Staff and clients alike are signed out after this long without activity; htmx polling views
# marked `htmx_fragment(passive=True)` do not count as activity (tenant_apps/accounts/idle.py).
PORTICO_IDLE_TIMEOUT_SECONDS = env.int("PORTICO_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# How often the staff header's notification bell asks for its count (htmx polling).
PORTICO_BELL_POLL_SECONDS = env.int("PORTICO_BELL_POLL_SECONDS", default=30)
# How often open message pages ask for new messages and unread counts (tenant_apps/messaging).
PORTICO_MESSAGING_POLL_SECONDS = env.int("PORTICO_MESSAGING_POLL_SECONDS", default=5)
# Sign-in throttling per practice, per account and per IP (tenant_apps/accounts/throttle.py).
PORTICO_SIGNIN_MAX_FAILURES = env.int("PORTICO_SIGNIN_MAX_FAILURES", default=5)
PORTICO_SIGNIN_LOCK_SECONDS = env.int("PORTICO_SIGNIN_LOCK_SECONDS", default=15 * 60)
# Wrong passwords from one IP address (over any accounts) before that address is locked out for
# PORTICO_SIGNIN_LOCK_SECONDS: larger than the per-account budget, since a clinic's NAT or a proxy
# carries many people (shared_apps/web/origin.py reads the client's IP).
PORTICO_SIGNIN_IP_MAX_FAILURES = env.int("PORTICO_SIGNIN_IP_MAX_FAILURES", default=50)
# Reverse proxies and load balancers (CIDRs, comma-separated) whose X-Forwarded-For is believed.
# Empty: the peer's address is the client's, and X-Forwarded-For is ignored. A malformed CIDR
# stops the process here (config/trusted_proxies.py).
PORTICO_TRUSTED_PROXIES = trusted_proxies_parse(env.list("PORTICO_TRUSTED_PROXIES", default=[]))

# --- Email ----------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("PORTICO_EMAIL_FROM", default=f"Portico <no-reply@{PORTICO_DOMAIN}>")
# Attempts at sending one outbox email before it is marked failed (tenant_apps/notifications/).
PORTICO_OUTBOX_MAX_ATTEMPTS = env.int("PORTICO_OUTBOX_MAX_ATTEMPTS", default=5)
# The first retry of a temporary failure (or of an attempt cut off by a dying worker) waits this
# long; each further one four times longer (1, 4, 16, 64 min by default), capped at 6 hours.
PORTICO_OUTBOX_RETRY_SECONDS = env.float("PORTICO_OUTBOX_RETRY_SECONDS", default=60.0)
# A mail server that stops answering must not hold a relay (and its row lock) forever.
EMAIL_TIMEOUT = env.int("PORTICO_EMAIL_TIMEOUT", default=30)
# Where the dev mailbox backend writes sent mail; only dev settings set it, and without it the
# /dev/mailbox/ pages answer 404.
PORTICO_DEV_MAILBOX_DIR: Path | None = None

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("PORTICO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- API ----------------------------------------------------------------------------------------
# Fail closed: a view not built on a base of shared_apps/web/api.py authenticates nobody and
# refuses everyone. The bases fix their own authentication and permissions (PlatformApiView;
# PracticeStaffApiView and PracticeAccountApiView in tenant_apps/access/api.py).
# How the practice API authenticates (tenant_apps/access/api.py): the browser's session, or a staff
# API token stored hashed in the practice's schema.
PORTICO_PRACTICE_API_AUTHENTICATION = [
    "rest_framework.authentication.SessionAuthentication",
    "tenant_apps.accounts.api_tokens.StaffTokenAuthentication",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["shared_apps.web.permissions.DenyAll"],
    # JSON nested too deeply to decode is a 400, not a 500; forms and multipart as DRF's default.
    "DEFAULT_PARSER_CLASSES": [
        "shared_apps.web.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
# The OpenAPI schema describes the API, never data: open to anyone, without authentication (the
# API walker in tests/integration/test_api_bases.py allows SpectacularAPIView for this reason).
SPECTACULAR_SETTINGS = {
    "TITLE": "Portico API",
    "VERSION": "0.1.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

from config.settings.observability import *  # noqa: E402  (logging, Sentry)
