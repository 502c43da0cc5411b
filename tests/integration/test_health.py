"""/healthz and /readyz answer on every host; /readyz reports each service it depends on."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from config.embedded.layout import EmbeddedLayout
from config.embedded.redis import redis_ensure
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["localhost", "a.localhost", "nope.localhost", "10.0.0.7"])
def test_healthz_answers_on_any_host(cast: Cast, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_redis_and_s3(cast: Cast) -> None:
    response = cast.a.http().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "s3": "ok"},
    }


def test_readyz_fails_when_redis_is_stopped(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A Redis of this test's own, so that stopping it cannot disturb the rest of the suite.
    layout = EmbeddedLayout(tmp_path_factory.mktemp("r", numbered=True))
    url, stop = redis_ensure(layout, persist=False)
    assert stop is not None
    with override_settings(REDIS_URL=url):
        assert Client(HTTP_HOST="localhost").get("/readyz").status_code == 200
        stop()
        response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"].startswith("error: ")
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["s3"] == "ok"


def test_readyz_fails_when_s3_is_unreachable() -> None:
    with override_settings(PORTICO_S3_ENDPOINT_URL="http://127.0.0.1:9"):
        response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["s3"].startswith("error: ")
