"""Console pages for a verified operator: lists, detail, health, and every action through the
provisioning services, with the audit row naming the operator. Never PHI on any page."""

from __future__ import annotations

import dramatiq
import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from dramatiq.brokers.redis import RedisBroker

from provisioning.services import practice_client_account_create
from shared_apps.accounts.models import User, UserKind
from shared_apps.console.selectors import PAGE_SIZE
from shared_apps.tenancy.models import (
    Domain,
    Practice,
    PracticeEvent,
    PracticeEventKind,
    PracticeStatus,
)
from tests.cast import Cast

pytestmark = pytest.mark.django_db

CANARY_FIRST = "Zephyrine"
CANARY_LAST = "Quillfeather"
CANARY_EMAIL = "zephyrine.canary@client-mail.example.net"


def _detail(cast: Cast) -> str:
    return f"/console/practices/{cast.a.practice.uuid}/"


def _console_pages(cast: Cast) -> list[str]:
    detail = _detail(cast)
    return [
        "/console/",
        "/console/?q=a",
        "/console/?status=active",
        "/console/practices/new/",
        detail,
        f"{detail}suspend/",
        f"{detail}subdomain/",
        f"{detail}offboard/",
        "/console/health/",
    ]


def _events(practice: Practice, kind: PracticeEventKind) -> list[PracticeEvent]:
    return list(PracticeEvent.objects.filter(practice_uuid=practice.uuid, kind=kind))


def test_every_console_page_opens_for_a_verified_operator(cast: Cast, console: Client) -> None:
    for path in _console_pages(cast):
        response = console.get(path)
        assert response.status_code == 200, path
        assert b"Portico console" in response.content, path
        assert "no-store" in response["Cache-Control"], path


def test_operators_never_see_a_practice_s_people(cast: Cast, console: Client, api: Client) -> None:
    practice_client_account_create(
        practice=cast.a.practice,
        email=CANARY_EMAIL,
        password=None,
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
    )
    # The cast's distinctive strings ("Clinic", a last name, is also a word in practice names).
    people = [cast.a.owner, cast.a.client_user, cast.a.clinician, cast.b.owner, cast.b.client_user]
    cast_strings = [
        value
        for person in people
        if person is not None
        for value in (person.email, person.first_name, person.last_name)
        if value != "Clinic"
    ]
    secrets = [CANARY_FIRST, CANARY_LAST, CANARY_EMAIL, *cast_strings]
    pages = [console.get(path) for path in _console_pages(cast)]
    uuid = cast.a.practice.uuid
    responses = [
        *pages,
        api.get("/api/platform/practices/"),
        api.get(f"/api/platform/practices/{uuid}/"),
        api.get("/api/platform/schema/"),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode().lower()
        for secret in secrets:
            assert secret.lower() not in body, (response.wsgi_request.path, secret)
    # ... yet the canary is counted.
    listed = api.get(f"/api/platform/practices/{uuid}/").json()["practice"]
    assert listed["client_count"] == 2


def test_practice_list_shows_status_counts_and_activity(cast: Cast, console: Client) -> None:
    with cast.a.schema():
        User.objects.filter(pk=cast.a.client_user.pk).update(last_login="2031-02-03T04:05:06Z")
    response = console.get("/console/?q=practice")
    html = response.content.decode()
    assert "Practice A" in html
    assert "Practice B" in html
    assert "a.localhost" in html
    assert "2031-02-03 04:05" in html
    rows = {row.practice.name: row for row in response.context["overviews"]}
    a, b = rows["Practice A"], rows["Practice B"]
    assert (a.practice.status, a.host, a.client_count, a.storage_bytes) == (
        PracticeStatus.ACTIVE,
        "a.localhost",
        1,
        0,
    )
    assert b.client_count == 1
    assert a.last_activity is not None
    assert a.last_activity.year == 2031


def test_practice_list_searches_by_name_and_subdomain_and_filters_by_status(
    cast: Cast, console: Client
) -> None:
    def names(query: str) -> set[str]:
        response = console.get(f"/console/?{query}")
        return {row.practice.name for row in response.context["overviews"]}

    cast_names = {"Practice A", "Practice B"}
    assert names("q=practice+b") & cast_names == {"Practice B"}
    assert names("q=b.localhost") & cast_names == {"Practice B"}
    assert names("q=PRACTICE") >= cast_names
    assert names("status=suspended") & cast_names == set()
    Practice.objects.filter(pk=cast.a.practice.pk).update(status=PracticeStatus.SUSPENDED)
    assert names("status=suspended") & cast_names == {"Practice A"}
    assert names("q=localhost") >= cast_names
    assert names("status=pooled") & cast_names == set()


def test_practice_list_pages_by_25_at_a_cost_that_does_not_grow_with_the_page(
    cast: Cast, console: Client
) -> None:
    def paper(count: int, start: int) -> None:
        Practice.objects.bulk_create(
            Practice(name=f"Paper practice {n:02}", status=PracticeStatus.ACTIVE)
            for n in range(start, start + count)
        )

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert console.get(path).status_code == 200
        return len(captured)

    paper(2, 0)
    few = queries("/console/?q=paper")
    paper(PAGE_SIZE + 1, 2)
    with CaptureQueriesContext(connection) as captured:
        first = console.get("/console/?q=paper")
    assert len(captured) == few
    assert len(first.context["overviews"]) == PAGE_SIZE
    assert b"Next page" in first.content
    second = console.get("/console/?q=paper&page=2")
    assert len(second.context["overviews"]) == 3
    # These rows have no schema (nothing to count); a practice with one costs one aggregate query
    # (and the search_path switch that goes with it).
    assert {row.client_count for row in second.context["overviews"]} == {None}
    with CaptureQueriesContext(connection) as captured:
        with_schemas = console.get("/console/?q=localhost")
    counted = [row for row in with_schemas.context["overviews"] if row.client_count is not None]
    assert len(counted) >= 2
    assert len(captured) <= few + 2 * len(counted)


def test_practice_detail_shows_domains_history_and_migration_state(
    cast: Cast, console: Client
) -> None:
    console.post(f"{_detail(cast)}subdomain/", {"subdomain": "a-renamed"})
    response = console.get(_detail(cast))
    html = response.content.decode()
    assert "a-renamed.localhost" in html
    assert "Retired: redirects to the primary" in html
    assert "Subdomain changed" in html
    assert "Up to date." in html
    assert response.context["detail"].pending_migrations == []


def test_unknown_practice_is_a_404(cast: Cast, console: Client) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    for suffix in ("", "suspend/", "resume/", "subdomain/", "offboard/"):
        assert console.get(f"/console/practices/{missing}/{suffix}").status_code == 404


def test_suspend_then_resume_from_the_console(cast: Cast, console: Client, operator: User) -> None:
    confirm = console.get(f"{_detail(cast)}suspend/")
    assert b"Suspend the portal" in confirm.content
    assert cast.a.http().get("/").status_code == 200  # confirming changes nothing

    done = console.post(f"{_detail(cast)}suspend/", follow=True)
    assert b"is suspended" in done.content
    portal = cast.a.http().get("/")
    assert portal.status_code == 503
    assert b"This portal is unavailable" in portal.content
    assert cast.b.http().get("/").status_code == 200
    (event,) = _events(cast.a.practice, PracticeEventKind.SUSPENDED)
    assert event.actor == f"operator:{operator.pk}"

    again = console.post(f"{_detail(cast)}suspend/", follow=True)  # idempotent
    assert len(_events(cast.a.practice, PracticeEventKind.SUSPENDED)) == 1
    assert again.status_code == 200

    resumed = console.post(f"{_detail(cast)}resume/", follow=True)
    assert b"is active again" in resumed.content
    assert cast.a.http().get("/").status_code == 200
    (event,) = _events(cast.a.practice, PracticeEventKind.RESUMED)
    assert event.actor == f"operator:{operator.pk}"


def test_resume_of_a_pooled_practice_says_why_not(cast: Cast, console: Client) -> None:
    Practice.objects.filter(pk=cast.b.practice.pk).update(status=PracticeStatus.POOLED)
    response = console.post(f"/console/practices/{cast.b.practice.uuid}/resume/", follow=True)
    assert b"cannot be resumed from there" in response.content
    assert Practice.objects.get(pk=cast.b.practice.pk).status == PracticeStatus.POOLED


def test_change_subdomain_from_the_console_redirects_the_old_host(
    cast: Cast, console: Client, operator: User
) -> None:
    response = console.post(f"{_detail(cast)}subdomain/", {"subdomain": " A-Moved "}, follow=True)
    assert b"now at a-moved.localhost" in response.content

    old = Client(HTTP_HOST="a.localhost").get("/sign-in/?x=1")
    assert old.status_code == 301
    assert old["Location"] == "http://a-moved.localhost/sign-in/?x=1"
    assert Client(HTTP_HOST="a-moved.localhost").get("/").status_code == 200
    (event,) = _events(cast.a.practice, PracticeEventKind.SUBDOMAIN_CHANGED)
    assert event.actor == f"operator:{operator.pk}"
    assert event.detail == {"old": "a.localhost", "new": "a-moved.localhost"}


@pytest.mark.parametrize(
    ("subdomain", "message"),
    [
        ("www", "is reserved"),
        ("b", "Use between 3 and 40 characters"),
        ("-bad-", "Use only lowercase letters"),
    ],
)
def test_change_subdomain_shows_the_subdomain_rules(
    cast: Cast, console: Client, subdomain: str, message: str
) -> None:
    before = sorted(Domain.objects.values_list("domain", "is_primary"))
    response = console.post(f"{_detail(cast)}subdomain/", {"subdomain": subdomain})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sorted(Domain.objects.values_list("domain", "is_primary")) == before


def test_taken_subdomain_is_refused(cast: Cast, console: Client) -> None:
    response = console.post(f"{_detail(cast)}subdomain/", {"subdomain": "b"})
    assert "Use between 3" in response.content.decode()
    Domain.objects.create(domain="taken-one.localhost", tenant=cast.b.practice, is_primary=False)
    response = console.post(f"{_detail(cast)}subdomain/", {"subdomain": "taken-one"})
    assert "is already taken" in response.content.decode()


def test_offboarding_needs_the_subdomain_typed_again(cast: Cast, console: Client) -> None:
    response = console.post(f"{_detail(cast)}offboard/", {"confirm_subdomain": "b"})
    assert b"type its subdomain exactly as shown" in response.content
    assert Practice.objects.get(pk=cast.a.practice.pk).status == PracticeStatus.ACTIVE
    assert cast.a.http().get("/").status_code == 200


def test_provision_then_offboard_from_the_console(
    cast: Cast, console: Client, operator: User
) -> None:
    form = {
        "name": "Harbour Therapy",
        "subdomain": "harbour",
        "owner_email": "Owner@Harbour.example.com",
        "time_zone": "Europe/Lisbon",
    }
    response = console.post("/console/practices/new/", form)
    assert response.status_code == 200
    assert b"Harbour Therapy is ready" in response.content
    password = response.context["owner_password"]
    assert password.encode() in response.content
    assert response.context["portal_url"] == "http://harbour.localhost/"

    practice = Practice.objects.get(name="Harbour Therapy")
    assert (practice.status, practice.time_zone) == (PracticeStatus.ACTIVE, "Europe/Lisbon")
    (claimed,) = _events(practice, PracticeEventKind.CLAIMED)
    assert claimed.actor == f"operator:{operator.pk}"
    with schema_context(practice.schema_name):
        owner = authenticate(username="owner@harbour.example.com", password=password)
        assert owner is not None
        assert owner.kind == UserKind.STAFF
    assert Client(HTTP_HOST="harbour.localhost").get("/").status_code == 200

    taken = console.post("/console/practices/new/", {**form, "name": "Copycat"})
    assert "is already taken" in taken.content.decode()
    assert not Practice.objects.filter(name="Copycat").exists()

    mail.outbox.clear()
    detail = f"/console/practices/{practice.uuid}/"
    done = console.post(f"{detail}offboard/", {"confirm_subdomain": "harbour"}, follow=True)
    assert b"Harbour Therapy is offboarded" in done.content
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert Client(HTTP_HOST="harbour.localhost").get("/").status_code == 404
    assert mail.outbox[0].to == ["owner@harbour.example.com"]
    (offboarded,) = _events(practice, PracticeEventKind.OFFBOARDED)
    assert offboarded.actor == f"operator:{operator.pk}"


def test_provision_form_refuses_a_reserved_subdomain(cast: Cast, console: Client) -> None:
    before = Practice.objects.count()
    response = console.post(
        "/console/practices/new/",
        {"name": "X", "subdomain": "console", "owner_email": "o@x.example.com", "time_zone": "UTC"},
    )
    assert "is reserved" in response.content.decode()
    assert Practice.objects.count() == before


def test_health_shows_pool_migrations_and_queues(cast: Cast, console: Client) -> None:
    broker = dramatiq.get_broker()
    assert isinstance(broker, RedisBroker)
    client = broker.client
    queue = "tests-console-health"
    client.rpush(f"dramatiq:{queue}", "m1", "m2")
    client.hset(f"dramatiq:{queue}.msgs", mapping={"m1": "x", "m2": "x", "m3": "x"})
    client.hset(f"dramatiq:{queue}.DQ.msgs", mapping={"d1": "x"})
    client.zadd(f"dramatiq:{queue}.XQ", {"x1": 1, "x2": 2})
    try:
        response = console.get("/console/health/")
    finally:
        for suffix in ("", ".msgs", ".DQ.msgs", ".XQ"):
            client.delete(f"dramatiq:{queue}{suffix}")
    health = response.context["health"]
    (depth,) = [q for q in health.queues if q.name == queue]
    assert (depth.waiting, depth.in_progress, depth.delayed, depth.failed) == (2, 1, 1, 2)
    assert health.failed_messages >= 2
    assert health.practices_current >= 2
    behind = {state.practice.pk for state in health.practices_behind}
    assert not behind & {cast.a.practice.pk, cast.b.practice.pk}
    html = response.content.decode()
    assert "Warm pool" in html
    assert queue in html
    assert "Template schema" in html
