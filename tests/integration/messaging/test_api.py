"""`/api/v1/conversations/`: list, messages, send (also with a staff API token), mark read; the
same participation rules as the pages."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client as Browser

from shared_apps.accounts.models import User
from tenant_apps.accounts.models import StaffApiToken
from tenant_apps.clients.models import Client
from tenant_apps.messaging.models import Message
from tenant_apps.messaging.services import message_send
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _token(cast: Cast, user: User) -> str:
    raw = "ppt_messaging-test-token-0123456789abcdefghijklmnop"
    with cast.a.schema():
        StaffApiToken.objects.create(
            user=user, name="bench", token_sha256=hashlib.sha256(raw.encode()).hexdigest()
        )
    return raw


def test_send_with_a_staff_token_lists_and_marks_read(cast: Cast, mara: Client) -> None:
    api = Browser(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Bearer {_token(cast, cast.a.owner)}")
    sent = api.post(
        f"/api/v1/conversations/{mara.pk}/messages/",
        {"body": " Your appointment is confirmed. "},
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert (body["client_id"], body["sender_id"], body["sent_by_staff"], body["body"]) == (
        mara.pk,
        cast.a.owner.pk,
        True,
        "Your appointment is confirmed.",
    )
    with cast.a.schema():
        assert OutboundEmail.objects.filter(kind="message_waiting").count() == 1
        message_send(actor=mara.account, client=mara, body="Thank you")  # type: ignore[arg-type]

    listed = api.get("/api/v1/conversations/").json()
    assert listed["count"] == 1
    assert (listed["results"][0]["client_id"], listed["results"][0]["unread"]) == (mara.pk, 1)
    messages = api.get(f"/api/v1/conversations/{mara.pk}/messages/").json()
    assert [m["body"] for m in messages["results"]] == [
        "Thank you",
        "Your appointment is confirmed.",
    ]
    read = api.post(f"/api/v1/conversations/{mara.pk}/read/", {}, content_type="application/json")
    assert read.json() == {"newly_read": 1}
    assert api.get("/api/v1/conversations/").json()["results"][0]["unread"] == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", {"body": ["Write a message before sending."]}),
        (
            "x" * 10_001,
            {
                "body": [
                    "A message can be at most 10,000 characters; this one has 10,001. "
                    "Shorten it or send it in parts."
                ]
            },
        ),
    ],
)
def test_a_refused_message_is_a_400_and_nothing_is_written(
    cast: Cast, mara: Client, body: str, expected: dict[str, list[str]]
) -> None:
    api = cast.a.signed_in(cast.a.owner)
    response = api.post(
        f"/api/v1/conversations/{mara.pk}/messages/",
        {"body": body},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == expected
    with cast.a.schema():
        assert not Message.objects.exists()


def test_role_rules(cast: Cast, mara: Client, otto: Client, admin_a: User) -> None:
    clinician = cast.a.signed_in(cast.a.clinician)  # type: ignore[arg-type]
    assert clinician.get(f"/api/v1/conversations/{mara.pk}/messages/").status_code == 200
    refused = clinician.post(
        f"/api/v1/conversations/{otto.pk}/messages/",
        {"body": "Hi"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    admin = cast.a.signed_in(admin_a)
    assert admin.get("/api/v1/conversations/").status_code == 403
    assert admin.get(f"/api/v1/conversations/{mara.pk}/messages/").status_code == 404
    client = cast.a.signed_in(mara.account)  # type: ignore[arg-type]
    assert client.get("/api/v1/conversations/").status_code == 403
    with cast.a.schema():
        assert not Message.objects.exists()
