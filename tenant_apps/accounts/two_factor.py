"""Staff two-factor sign-in (TOTP), when the owner requires it for the practice.

A staff sign-in under the policy leaves the session *pending* (a flag in the session): until a code
from the person's authenticator app is accepted, `StaffTwoFactorMiddleware` sends every page to the
two-factor step and refuses the API with 403. The check costs no query: the flag lives in the
session, and turning the policy on ends every other staff session, so no session made before it
escapes the step.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import User, UserKind
from shared_apps.web.origin import RequestOrigin
from tenant_apps.accounts.models import StaffSecurityPolicy
from tenant_apps.accounts.services import accounts_sessions_end
from tenant_apps.audit.actions import AuditAction
from tenant_apps.audit.services import audit_record

TOTP_PENDING_SESSION_KEY = "practice_accounts:totp_pending"
TOTP_DEVICE_NAME = "Authenticator app"


def staff_security_policy() -> StaffSecurityPolicy:
    policy, _ = StaffSecurityPolicy.objects.get_or_create(pk=1)
    return policy


def staff_totp_required_set(
    *,
    actor: User,
    origin: RequestOrigin | None = None,
    required: bool,
    keep_session_key: str | None,
) -> bool:
    """Turn the policy on or off; True when this call turned it on. Turning it on ends every
    staff session but `keep_session_key` (each signs in again through the two-factor step); the
    caller sends that session through the step too. Audits `settings.staff_two_factor_changed`."""
    with transaction.atomic(durable=True):
        policy = StaffSecurityPolicy.objects.select_for_update().filter(pk=1).first()
        if policy is None:
            policy = StaffSecurityPolicy.objects.create(pk=1)
        if policy.requires_staff_totp == required:
            return False
        policy.requires_staff_totp = required
        policy.save(update_fields=["requires_staff_totp", "updated_at"])
        if required:
            # The owner's other sessions end too; this one goes through the step below.
            staff_ids = set(User.objects.filter(kind=UserKind.STAFF).values_list("pk", flat=True))
            accounts_sessions_end(user_ids=staff_ids, keep_session_key=keep_session_key)
        audit_record(
            action=AuditAction.SETTINGS_STAFF_TWO_FACTOR_CHANGED,
            actor=actor,
            origin=origin,
            detail={"required": required},
        )
    return required


def staff_sign_in_needs_totp(user: User) -> bool:
    return user.is_practice_staff and staff_security_policy().requires_staff_totp


def staff_has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def staff_totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The person's unconfirmed device (the same one on every reload, so the QR code is stable)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def staff_totp_complete(*, actor: User, origin: RequestOrigin | None = None, code: str) -> bool:
    """Accept `actor`'s code: confirms the enrolling device, or checks a confirmed one (a code
    works once; django-otp slows down repeated failures). On success the caller ends the session's
    pending state and gives it a new key. Audits `two_factor.enrolled` or `two_factor.verified`;
    a wrong code, `two_factor.failed`."""
    code = "".join(code.split())
    with transaction.atomic(durable=True):
        action = AuditAction.TWO_FACTOR_VERIFIED
        device: Device | None
        if staff_has_totp(actor):
            device = match_token(actor, code)
        else:
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(user=actor, confirmed=False)
                .order_by("id")
                .first()
            )
            if device is not None and device.verify_token(code):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                action = AuditAction.TWO_FACTOR_ENROLLED
            else:
                device = None
        if device is None:
            audit_record(
                action=AuditAction.TWO_FACTOR_FAILED,
                actor=actor,
                origin=origin,
                object_type="user",
                object_id=actor.pk,
            )
            return False
        audit_record(
            action=action, actor=actor, origin=origin, object_type="user", object_id=actor.pk
        )
    return True


class StaffTwoFactorMiddleware:
    """While a session is pending its two-factor step, only that step and sign-out answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(TOTP_PENDING_SESSION_KEY):
            step = reverse("accounts:two-factor")
            if request.path not in (step, reverse("portal:sign-out")):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Two-factor sign-in required."}, status=403)
                return redirect(step)
        return self.get_response(request)
