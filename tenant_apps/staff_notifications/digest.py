"""The daily digest: one email per staff member per day, at 7:00 in the practice's time zone.

**Window.** The digest for local date D covers the staff member's notifications created from 07:00
on D-1 to 07:00 on D, wall-clock time in the practice's time zone (`Practice.time_zone`): 24 hours,
or 23/25 on the days clocks change. A notification made at 07:02 while the digest is being written
belongs to the next day's digest, never to two and never to none.

**What it says.** Counts per kind (forms completed, forms signed, client uploads, onboarding
completions, booking requests) and a link to each in the notification centre: no client names, no
form titles, no scores (those stay in the app). Nothing is sent for an empty day, nor to staff who
turned the digest off, nor to inactive staff.

**Once.** Each email is an outbox row with the idempotency key `digest:<user id>:<local date>`:
however often the job runs for a day, each person gets one email.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Count

from shared_apps.accounts.models import User, UserKind
from shared_apps.tenancy.models import Practice
from shared_apps.tenancy.selectors import host_url, practice_primary_host
from tenant_apps.notifications.models import OutboundEmail
from tenant_apps.notifications.services import email_enqueue
from tenant_apps.staff_notifications.models import (
    StaffNotification,
    StaffNotificationKind,
    StaffNotificationPreferences,
)

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7
DIGEST_EMAIL_KIND = "daily_digest"
DIGEST_TEMPLATE = "staff_notifications/email/daily_digest.txt"

# In the order the email lists them, with the words it uses. New messages are not in the digest:
# an unread message has its own email.
DIGEST_KINDS: tuple[tuple[StaffNotificationKind, str, str], ...] = (
    (StaffNotificationKind.FORM_COMPLETED, "form completed", "forms completed"),
    (StaffNotificationKind.FORM_SIGNED, "form signed", "forms signed"),
    (StaffNotificationKind.CLIENT_UPLOAD, "client upload", "client uploads"),
    (StaffNotificationKind.ONBOARDING_COMPLETED, "onboarding completed", "onboardings completed"),
    (StaffNotificationKind.BOOKING_REQUEST, "booking request", "booking requests"),
)


def practice_zone(practice: Practice) -> ZoneInfo:
    """The practice's time zone; UTC if the stored name is unknown (never fails a digest)."""
    try:
        return ZoneInfo(practice.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def digest_window(*, zone: ZoneInfo, local_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[07:00 on the day before, 07:00 on `local_date`), in `zone`, as aware datetimes."""
    end = dt.datetime.combine(local_date, dt.time(DIGEST_HOUR), tzinfo=zone)
    start = dt.datetime.combine(
        local_date - dt.timedelta(days=1), dt.time(DIGEST_HOUR), tzinfo=zone
    )
    return start, end


def digest_date_due(*, zone: ZoneInfo, now: dt.datetime) -> dt.date | None:
    """The local date whose digest may go out at `now`: today's once it is 7:00 or later there."""
    local = now.astimezone(zone)
    return local.date() if local.hour >= DIGEST_HOUR else None


@dataclass(frozen=True)
class DigestLine:
    count: int
    label: str
    url: str


def staff_digest_counts(
    *, start: dt.datetime, end: dt.datetime
) -> dict[int, dict[StaffNotificationKind, int]]:
    """Per active staff member with a digest kind in [start, end): how many of each (one query)."""
    rows = (
        StaffNotification.objects.filter(
            kind__in=[kind for kind, _, _ in DIGEST_KINDS],
            created_at__gte=start,
            created_at__lt=end,
            recipient__kind=UserKind.STAFF,
            recipient__is_active=True,
        )
        .values("recipient_id", "kind")
        .annotate(count=Count("id"))
    )
    counts: dict[int, dict[StaffNotificationKind, int]] = {}
    for row in rows:
        counts.setdefault(row["recipient_id"], {})[StaffNotificationKind(row["kind"])] = row[
            "count"
        ]
    return counts


def staff_digests_queue(*, practice: Practice, local_date: dt.date) -> int:
    """Queue the digest of `local_date` for every staff member of the current practice (call in
    its schema) who has something in the window, wants the digest and is active. Returns how many
    emails were newly queued. Idempotent: a second call for the same date queues nothing.
    Writes outbox rows only (no audit entry: no client data is read by a person)."""
    start, end = digest_window(zone=practice_zone(practice), local_date=local_date)
    counts = staff_digest_counts(start=start, end=end)
    if not counts:
        return 0
    host = practice_primary_host(practice)
    if host is None:
        logger.warning("Daily digest skipped in %s: no primary domain.", practice.schema_name)
        return 0
    opted_out = set(
        StaffNotificationPreferences.objects.filter(
            user_id__in=counts, daily_digest_email=False
        ).values_list("user_id", flat=True)
    )
    recipients = list(User.objects.filter(pk__in=set(counts) - opted_out).order_by("pk"))
    keys = {
        user.pk: digest_idempotency_key(user_id=user.pk, local_date=local_date)
        for user in recipients
    }
    already = set(
        OutboundEmail.objects.filter(idempotency_key__in=keys.values()).values_list(
            "idempotency_key", flat=True
        )
    )
    queued = 0
    with transaction.atomic():
        for user in recipients:
            if keys[user.pk] in already:
                continue
            # email_enqueue is idempotent on the key too: a concurrent run queues nothing more.
            email_enqueue(
                kind=DIGEST_EMAIL_KIND,
                to_email=user.email,
                subject=f"Your daily summary from {practice.name}",
                template_name=DIGEST_TEMPLATE,
                context={
                    "practice_name": practice.name,
                    "date": local_date,
                    "lines": _lines(counts[user.pk], host),
                    "notifications_url": host_url(host, "/staff/notifications/"),
                },
                idempotency_key=keys[user.pk],
            )
            queued += 1
    if queued:
        logger.info(
            "Daily digest for %s: %d queued in %s.",
            local_date.isoformat(),
            queued,
            practice.schema_name,
        )
    return queued


def digest_idempotency_key(*, user_id: int, local_date: dt.date) -> str:
    return f"digest:{user_id}:{local_date.isoformat()}"


def _lines(counts: dict[StaffNotificationKind, int], host: str) -> list[DigestLine]:
    return [
        DigestLine(
            count=counts[kind],
            label=one if counts[kind] == 1 else many,
            url=host_url(host, f"/staff/notifications/?kind={kind.value}"),
        )
        for kind, one, many in DIGEST_KINDS
        if counts.get(kind)
    ]
