"""The operator's management commands: provision_practice, pool_refill, migrate_all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from provisioning.services import pool_level
from shared_apps.tenancy.models import Practice, PracticeStatus
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_provision_practice_prints_the_portal_url() -> None:
    out = StringIO()
    call_command(
        "provision_practice",
        "--name",
        "Harbor Counseling",
        "--subdomain",
        "harbor",
        "--owner-email",
        "Owner@Harbor.example.com",
        stdout=out,
    )
    assert "Portal ready: http://harbor.localhost/" in out.getvalue()
    assert "owner@harbor.example.com" in out.getvalue()
    assert Practice.objects.get(domains__domain="harbor.localhost").status == PracticeStatus.ACTIVE


def test_provision_practice_explains_a_refused_subdomain() -> None:
    with pytest.raises(CommandError, match="“www” is reserved"):
        call_command(
            "provision_practice",
            "--name",
            "X",
            "--subdomain",
            "www",
            "--owner-email",
            "x@example.com",
            stdout=StringIO(),
        )


def test_pool_refill_reports_what_it_made() -> None:
    out = StringIO()
    call_command("pool_refill", "--target", "2", stdout=out)
    assert pool_level() == 2
    assert "Made 2 practice schema(s)" in out.getvalue()


def test_migrate_all_shows_progress_continues_past_a_failure_and_lists_it(cast: Cast) -> None:
    broken = Practice.objects.create(status=PracticeStatus.SUSPENDED)  # its schema never existed
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 practice schema\\(s\\) failed to migrate"):
        call_command("migrate_all", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == Practice.objects.exclude(status="offboarding").count()
    assert progress[-1].startswith("[" + "#" * 30 + "]")
    assert cast.a.practice.schema_name in out.getvalue()
    assert broken.schema_name in err.getvalue()
    assert "public, template and" in out.getvalue()
