"""Settings invariants, including production's, checked in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "kN3v-q8TzP0w_Lr5sYb2Hc7uJm4Xe9Ga1Fd6Wo0Ri3Ty8Uk5Zp2Qn7Vs4Mh1Lj6",
    "DATABASE_URL": "postgresql://portico:secret@db.internal:5432/portico",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "PORTICO_DOMAIN": "portico.example.com",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("module", ["base", "dev", "test", "production", "security"])
def test_cookie_domains_are_never_set(module: str) -> None:
    source = (REPO / "config" / "settings" / f"{module}.py").read_text()
    for line in source.splitlines():
        if line.startswith(("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN")):
            assert line.split("=", 1)[1].strip() == "None", line
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None


def test_argon2_is_the_first_password_hasher_outside_tests() -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_passes_check_deploy_at_warning_level() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_required_settings(missing: str) -> None:
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"Portico will not start in production without {missing}" in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_cookies_are_secure() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = _manage("shell", "--verbosity", "0", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_a_malformed_trusted_proxy_stops_the_settings_from_loading() -> None:
    result = _manage(
        "check", env={**PRODUCTION_ENV, "PORTICO_TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.300/32"}
    )
    assert result.returncode != 0
    assert "PORTICO_TRUSTED_PROXIES holds '10.0.0.300/32', which is not an IP network." in (
        result.stderr
    )
