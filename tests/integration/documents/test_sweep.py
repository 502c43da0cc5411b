"""Abandoned upload slots: rejected and their objects deleted by the sweep, in each practice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dramatiq
import pytest
from django.utils import timezone

from shared_apps.tasks.broker import SCHEMA_OPTION
from shared_apps.tenancy.models import Practice, PracticeStatus
from tenant_apps.documents.models import ClientUpload, FileState
from tenant_apps.documents.services import upload_slots_expire
from tenant_apps.documents.tasks import DOCUMENTS_QUEUE, upload_slots_sweep_fan_out
from tests.cast import Cast
from tests.integration.test_outbox import EnqueueRecorder
from tests.support.documents import (
    PDF_BYTES,
    json_headers,
    object_exists,
    portal_client,
    post_to_s3,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued() -> Iterator[list[dramatiq.Message[Any]]]:
    broker = dramatiq.get_broker()
    recorder = EnqueueRecorder()
    broker.middleware.append(recorder)
    yield recorder.messages
    broker.middleware.remove(recorder)
    broker.flush(DOCUMENTS_QUEUE)


def test_expired_slots_are_rejected_and_their_objects_deleted(cast: Cast) -> None:
    _, browser = portal_client(cast.a)
    slots = [
        browser.post("/documents/uploads/new/", {"filename": f"{n}.pdf"}, **json_headers()).json()
        for n in range(2)
    ]
    for slot in slots:
        post_to_s3(slot["upload"], PDF_BYTES)
    browser.post(slots[1]["confirm_url"], **json_headers())  # the second one is confirmed
    with cast.a.schema():
        assert upload_slots_expire(now=timezone.now() + timedelta(minutes=14)) == 0  # grace
        assert upload_slots_expire(now=timezone.now() + timedelta(minutes=16)) == 1
        assert upload_slots_expire(now=timezone.now() + timedelta(minutes=16)) == 0
        rows = list(ClientUpload.objects.order_by("pk"))
    assert [row.state for row in rows] == [FileState.REJECTED, FileState.READY]
    assert not object_exists(slots[0]["upload"]["fields"]["key"])
    assert object_exists(rows[1].s3_key)


def test_fan_out_queues_one_sweep_per_active_practice(
    cast: Cast, enqueued: list[dramatiq.Message[Any]]
) -> None:
    queued = upload_slots_sweep_fan_out()
    active = list(
        Practice.objects.filter(status=PracticeStatus.ACTIVE)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    assert queued == active
    assert {cast.a.practice.schema_name, cast.b.practice.schema_name} <= set(queued)
    assert [message.options[SCHEMA_OPTION] for message in enqueued] == active
    assert {message.actor_name for message in enqueued} == {"upload_slots_sweep"}
