"""Provisioning services: the only code that creates, claims, suspends or renames a practice.

Plain, typed, keyword-only functions shared by the sign-up page, the operator console, the
platform API and the management commands. Each is idempotent or refuses clearly; none wraps schema
creation in an outer transaction (DESIGN.md §4). Every change writes a `PracticeEvent` and forgets
the cached host lookups it affects. Offboarding lives beside it, in offboarding.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning.schemas import advisory_lock, schema_create_cloned, schema_create_migrated
from provisioning.tasks import pool_refill_task
from shared_apps.accounts.models import StaffRole, TokenPurpose, User, UserKind, normalize_email
from shared_apps.accounts.tokens import account_token_issue
from shared_apps.tasks.broker import send_on_commit
from shared_apps.tenancy.models import (
    Domain,
    Practice,
    PracticeEvent,
    PracticeEventKind,
    PracticeStatus,
)
from shared_apps.tenancy.selectors import (
    host_url,
    practice_hosts,
    practice_primary_host,
    practice_subdomain_host,
)
from shared_apps.tenancy.services import practice_host_cache_forget
from shared_apps.tenancy.subdomains import SubdomainError, subdomain_validate
from tenant_apps.notifications.services import email_enqueue

_POOL_LOCK = 7_240_001  # pg advisory lock id: one pool refill at a time
EMAIL_CONFIRMATION_LIFETIME = timedelta(days=7)
SIGN_IN_HANDOFF_LIFETIME = timedelta(minutes=2)
UNFINISHED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Owner:
    """The person signing a practice up. `password_hash` is made by the caller (Argon2 is slow on
    purpose, and hashing is not provisioning)."""

    email: str
    password_hash: str
    first_name: str = ""
    last_name: str = ""


class ProvisioningError(Exception):
    """A provisioning request that cannot be carried out, with a sentence saying why."""


def practice_event_record(
    practice: Practice, kind: PracticeEventKind, *, actor: str, **detail: str
) -> None:
    """Append to the platform audit log (status history). `detail` never holds PHI."""
    PracticeEvent.objects.create(practice_uuid=practice.uuid, kind=kind, actor=actor, detail=detail)


# --- The warm pool -------------------------------------------------------------------------------


def pool_level() -> int:
    """How many pooled practices are ready to be claimed."""
    return Practice.objects.filter(
        status=PracticeStatus.POOLED, schema_ready_at__isnull=False
    ).count()


def pool_practice_create(*, cloned: bool = True) -> Practice:
    """Make one ready, pooled practice: a row first (nothing routes to it), then its schema."""
    practice = Practice.objects.create(status=PracticeStatus.POOLED)
    _practice_schema_finish(practice, cloned=cloned)
    return practice


def _practice_schema_finish(practice: Practice, *, cloned: bool) -> None:
    """Create (or complete) the practice's schema and mark it ready. Resumable."""
    if cloned:
        schema_create_cloned(practice.schema_name)
    else:
        schema_create_migrated(practice.schema_name)
    practice.schema_ready_at = timezone.now()
    practice.save(update_fields=["schema_ready_at", "updated_at"])


def pool_refill(*, target: int | None = None) -> int:
    """Top the pool up to `target` (default PORTICO_POOL_SIZE) ready practices; return how many
    were made. Half-made pooled practices left by a crash (older than ten minutes) are finished
    first. Only one refill runs
    at a time (a PostgreSQL advisory lock); a concurrent call returns 0 at once."""
    wanted = settings.PORTICO_POOL_SIZE if target is None else target
    with advisory_lock(_POOL_LOCK) as acquired:
        if not acquired:
            return 0
        made = 0
        # Old enough to be a crash's leftover, not a sign-up's clone being made right now.
        unfinished = Practice.objects.filter(
            status=PracticeStatus.POOLED,
            schema_ready_at__isnull=True,
            created_at__lt=timezone.now() - UNFINISHED_AFTER,
        )
        for practice in unfinished:
            _practice_schema_finish(practice, cloned=True)
            made += 1
        while pool_level() < wanted:
            pool_practice_create()
            made += 1
        return made


# --- Creating an active practice -----------------------------------------------------------------


def practice_claim(
    *, name: str, subdomain: str, owner: Owner, time_zone: str = "UTC", actor: str = "signup"
) -> Practice:
    """Turn a pooled practice into `name` at `<subdomain>.<platform domain>` with its owner.

    One short transaction: lock a ready pooled practice (`FOR UPDATE SKIP LOCKED`, so concurrent
    sign-ups never share one), activate it, add its domain and the owner's account. With the pool
    empty, falls back to `practice_create_cloned` (about a second). Raises SubdomainError if the
    subdomain is invalid, reserved or taken, also when another sign-up takes it at the same moment.
    After commit, a task refills the pool.
    """
    subdomain = subdomain_validate(subdomain)
    claim = _Claim(name=name, subdomain=subdomain, owner=owner, time_zone=time_zone, actor=actor)
    try:
        practice = claim.run()
    except _PoolEmpty:
        return practice_create_cloned(
            name=name, subdomain=subdomain, owner=owner, time_zone=time_zone, actor=actor
        )
    send_on_commit(pool_refill_task)
    return practice


def practice_create_cloned(
    *, name: str, subdomain: str, owner: Owner, time_zone: str = "UTC", actor: str
) -> Practice:
    """The fallback: clone the template into a new schema, migrate it for real, then claim it.
    Retries if a concurrent sign-up claims the freshly made practice first."""
    subdomain = subdomain_validate(subdomain)
    claim = _Claim(name=name, subdomain=subdomain, owner=owner, time_zone=time_zone, actor=actor)
    for _attempt in range(3):
        fresh = pool_practice_create(cloned=True)
        try:
            practice = claim.run(practice_id=fresh.pk)
        except _PoolEmpty:
            continue
        send_on_commit(pool_refill_task)
        return practice
    raise ProvisioningError("Sign-ups are very busy right now. Please try again in a minute.")


class _PoolEmpty(Exception):
    pass


@dataclass(frozen=True)
class _Claim:
    name: str
    subdomain: str
    owner: Owner
    time_zone: str
    actor: str

    def run(self, *, practice_id: int | None = None) -> Practice:
        """Claim `practice_id`, or any ready pooled practice; raise _PoolEmpty if there is none."""
        host = practice_subdomain_host(self.subdomain)
        ready = Practice.objects.filter(status=PracticeStatus.POOLED, schema_ready_at__isnull=False)
        if practice_id is not None:
            ready = ready.filter(pk=practice_id)
        try:
            with transaction.atomic(durable=True):
                practice = ready.select_for_update(skip_locked=True).order_by("id").first()
                if practice is None:
                    raise _PoolEmpty
                # A retired subdomain whose 90-day hold is over (validation let it through).
                Domain.objects.filter(domain=host, retired_at__isnull=False).delete()
                # bulk_create skips DomainMixin.save's demotion of other primary domains (a
                # pooled practice has none): one round trip instead of four, on the hot path.
                Domain.objects.bulk_create([Domain(domain=host, tenant=practice, is_primary=True)])
                practice.name = self.name
                practice.time_zone = self.time_zone
                practice.status = PracticeStatus.ACTIVE
                practice.updated_at = timezone.now()
                Practice.objects.filter(pk=practice.pk).update(
                    name=practice.name,
                    time_zone=practice.time_zone,
                    status=practice.status,
                    updated_at=practice.updated_at,
                )
                with schema_context(practice.schema_name):
                    account = _staff_account_create(owner=self.owner, role=StaffRole.OWNER)
                    _owner_confirmation_email_queue(practice=practice, owner=account, host=host)
                practice_event_record(
                    practice, PracticeEventKind.CLAIMED, actor=self.actor, subdomain=host
                )
        except IntegrityError as error:
            raise SubdomainError(
                f"“{self.subdomain}” was just taken. Please choose another address."
            ) from error
        practice_host_cache_forget(host)
        return practice


def _staff_account_create(*, owner: Owner, role: StaffRole) -> User:
    """Create a staff account in the current practice schema from an already-hashed password.
    The schema is new, so no uniqueness check is needed; the format is checked here."""
    email = normalize_email(owner.email)
    validate_email(email)
    user = User(
        email=email,
        password=owner.password_hash,
        kind=UserKind.STAFF,
        role=role,
        first_name=owner.first_name,
        last_name=owner.last_name,
    )
    user.save()
    return user


def _owner_confirmation_email_queue(*, practice: Practice, owner: User, host: str) -> None:
    """Queue (in the claim's transaction, in the practice's outbox) the link that confirms the
    owner's email address."""
    raw = account_token_issue(
        user=owner, purpose=TokenPurpose.EMAIL_CONFIRMATION, lifetime=EMAIL_CONFIRMATION_LIFETIME
    )
    email_enqueue(
        kind="owner_email_confirmation",
        to_email=owner.email,
        subject=f"Confirm your email for {practice.name} on Portico",
        template_name="notifications/email/owner_email_confirmation.txt",
        context={
            "first_name": owner.first_name,
            "practice_name": practice.name,
            "confirm_url": host_url(host, f"/staff/confirm-email/{raw}/"),
            "portal_url": host_url(host),
            "expires_hours": int(EMAIL_CONFIRMATION_LIFETIME.total_seconds() // 3600),
        },
        idempotency_key=f"owner-email-confirmation:{owner.pk}",
    )


def practice_owner_sign_in_path(*, practice: Practice) -> str:
    """The path, on the practice's primary host, that signs its owner in once, within two minutes:
    how sign-up on the platform host hands the new owner over to the portal (cookies are
    host-only, so the session must be made there)."""
    host = practice_primary_host(practice)
    if host is None:
        raise ProvisioningError("This practice has no address yet.")
    with schema_context(practice.schema_name):
        owner = (
            User.objects.filter(kind=UserKind.STAFF, role=StaffRole.OWNER, is_active=True)
            .order_by("id")
            .first()
        )
        if owner is None:
            raise ProvisioningError("This practice has no owner account.")
        raw = account_token_issue(
            user=owner, purpose=TokenPurpose.SIGN_IN_HANDOFF, lifetime=SIGN_IN_HANDOFF_LIFETIME
        )
    return f"/staff/welcome/{raw}/"


def practice_create_migrated(*, name: str, subdomain: str, time_zone: str = "UTC") -> Practice:
    """The last resort: create an active practice by running every migration (seconds).

    Resumable: if a practice already answers at that host, it is returned unchanged. Used for the
    demo practice and the tests' practices, which need no owner from sign-up.
    """
    host = practice_subdomain_host(subdomain)
    existing = Domain.objects.select_related("tenant").filter(domain=host).first()
    if existing is not None:
        return existing.tenant
    practice = Practice.objects.create(name=name, time_zone=time_zone)
    _practice_schema_finish(practice, cloned=False)
    with transaction.atomic(durable=True):
        Domain.objects.create(domain=host, tenant=practice, is_primary=True)
        practice.status = PracticeStatus.ACTIVE
        practice.save(update_fields=["status", "updated_at"])
        practice_event_record(practice, PracticeEventKind.CREATED, actor="system", subdomain=host)
    practice_host_cache_forget(host)
    return practice


def practice_staff_create(
    *,
    practice: Practice,
    email: str,
    password: str | None,
    role: StaffRole,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a staff account inside `practice`'s own schema."""
    with schema_context(practice.schema_name):
        return User.objects.create_user(
            email,
            password,
            kind=UserKind.STAFF,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )


def practice_client_account_create(
    *,
    practice: Practice,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a client's portal account inside `practice`'s own schema."""
    with schema_context(practice.schema_name):
        return User.objects.create_user(
            email, password, kind=UserKind.CLIENT, first_name=first_name, last_name=last_name
        )


# --- Changing a practice -------------------------------------------------------------------------


def practice_status_change(
    *,
    practice: Practice,
    to: PracticeStatus,
    allowed_from: set[PracticeStatus],
    kind: PracticeEventKind,
    actor: str,
) -> Practice:
    """Move the practice to status `to` under a row lock; idempotent; refuses other moves."""
    with transaction.atomic(durable=True):
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        if locked.status == to:
            return locked
        if locked.status not in allowed_from:
            raise ProvisioningError(
                f"This practice is {locked.get_status_display().lower()}; it cannot be "
                f"{kind.label.lower()} from there."
            )
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        practice_event_record(locked, kind, actor=actor)
    practice_host_cache_forget(*practice_hosts(locked))
    return locked


def practice_suspend(*, practice: Practice, actor: str) -> Practice:
    """Take the portal offline (neutral "unavailable" page); nothing is deleted. Idempotent."""
    return practice_status_change(
        practice=practice,
        to=PracticeStatus.SUSPENDED,
        allowed_from={PracticeStatus.ACTIVE},
        kind=PracticeEventKind.SUSPENDED,
        actor=actor,
    )


def practice_resume(*, practice: Practice, actor: str) -> Practice:
    """Bring a suspended portal back. Idempotent."""
    return practice_status_change(
        practice=practice,
        to=PracticeStatus.ACTIVE,
        allowed_from={PracticeStatus.SUSPENDED},
        kind=PracticeEventKind.RESUMED,
        actor=actor,
    )


def practice_change_subdomain(*, practice: Practice, subdomain: str, actor: str) -> Practice:
    """Move the practice to `<subdomain>.<platform domain>`. The old host is kept, retired, for 90
    days: it answers with a permanent redirect to the new one, and nobody else can take it."""
    subdomain = subdomain_validate(subdomain)
    new_host = practice_subdomain_host(subdomain)
    old_host = practice_primary_host(practice)
    try:
        with transaction.atomic(durable=True):
            Domain.objects.filter(domain=new_host, retired_at__isnull=False).delete()
            Domain.objects.filter(tenant=practice, is_primary=True).update(
                is_primary=False, retired_at=timezone.now()
            )
            Domain.objects.create(domain=new_host, tenant=practice, is_primary=True)
            practice_event_record(
                practice,
                PracticeEventKind.SUBDOMAIN_CHANGED,
                actor=actor,
                old=old_host or "",
                new=new_host,
            )
    except IntegrityError as error:
        raise SubdomainError(
            f"“{subdomain}” was just taken. Please choose another address."
        ) from error
    practice_host_cache_forget(*practice_hosts(practice))
    return practice
