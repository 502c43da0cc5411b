"""Isolation cases for the account pages (tenant_apps/accounts): forgot / reset password, the
staff profile, the team page and joining by invitation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import AccountToken, StaffRole, TokenPurpose, User, UserKind
from shared_apps.accounts.tokens import account_token_issue
from tenant_apps.accounts.models import StaffSecurityPolicy
from tenant_apps.accounts.passwords import password_digest
from tenant_apps.accounts.selectors import token_sha256
from tenant_apps.audit.models import AuditEntry
from tenant_apps.notifications.models import OutboundEmail
from tests.cast import PASSWORD, Cast, PracticeCast
from tests.integration.isolation.cases import _a_cookie_on_b, _assert_nothing_of_a


def _counts(practice: PracticeCast) -> tuple[int, int, int, int]:
    with practice.schema():
        return (
            OutboundEmail.objects.count(),
            AccountToken.objects.filter(used_at__isnull=True).count(),
            User.objects.filter(is_active=True).count(),
            AuditEntry.objects.exclude(action__startswith="signin.").count(),
        )


def _a_reset_token(cast: Cast) -> str:
    raw = "isolation-reset-token-of-practice-a-0000000000"
    with cast.a.schema():
        user = User.objects.get(pk=cast.a.client_user.pk)
        AccountToken.objects.create(
            user=user,
            purpose=TokenPurpose.PASSWORD_RESET,
            token_sha256=token_sha256(raw),
            password_digest=password_digest(user),
            expires_at=user.date_joined + timedelta(days=36500),
        )
    return raw


def _a_invitation_token(cast: Cast) -> str:
    with cast.a.schema():
        invitee = User.objects.create_user(
            "invitee@a.example.com", None, kind=UserKind.STAFF, role=StaffRole.ADMIN
        )
        return account_token_issue(
            user=invitee, purpose=TokenPurpose.STAFF_INVITATION, lifetime=timedelta(days=7)
        )


def forgot_password(cast: Cast) -> None:
    before_a, before_b = _counts(cast.a), _counts(cast.b)
    response = cast.b.http().post("/forgot-password/", {"email": cast.a.client_user.email})
    assert response.status_code == 200
    _assert_nothing_of_a(response.content, cast)
    assert _counts(cast.a) == before_a
    with cast.b.schema():
        assert not OutboundEmail.objects.filter(to_email=cast.a.client_user.email).exists()
        assert OutboundEmail.objects.count() == before_b[0]


def reset_password_link(cast: Cast) -> None:
    token = _a_reset_token(cast)
    on_b = cast.b.http()
    response = on_b.get(f"/reset-password/{token}/")
    assert response.status_code == 404
    _assert_nothing_of_a(response.content, cast)
    assert cast.a.http().get(f"/reset-password/{token}/").status_code == 302  # still unused on A


def reset_password(cast: Cast) -> None:
    token = _a_reset_token(cast)
    on_a = cast.a.http()
    assert on_a.get(f"/reset-password/{token}/").status_code == 302
    # A's browser session cookie replayed on B's host carries no token there.
    _, on_b = _a_cookie_on_b(cast)
    on_b.cookies.update(on_a.cookies)
    before = _counts(cast.a)
    new = {"password1": "isolation-new-pass-9", "password2": "isolation-new-pass-9"}
    assert on_b.get("/reset-password/").status_code == 404
    assert on_b.post("/reset-password/", new).status_code == 404
    assert _counts(cast.a) == before
    with cast.a.schema():
        assert User.objects.get(pk=cast.a.client_user.pk).check_password(PASSWORD)


def staff_profile(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    before = _counts(cast.a)
    response = on_b.post(
        "/staff/profile/",
        {"action": "profile", "first_name": "X", "last_name": "Y", "email": "x@example.com"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert _counts(cast.a) == before
    with cast.a.schema():
        assert User.objects.get(pk=cast.a.owner.pk).email == cast.a.owner.email
    own = cast.b.signed_in(cast.b.owner).get("/staff/profile/")
    assert own.status_code == 200
    _assert_nothing_of_a(own.content, cast)


def staff_team(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    before = _counts(cast.a), _counts(cast.b)
    response = on_b.post("/staff/team/", {"email": "new@example.com", "role": "admin"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert (_counts(cast.a), _counts(cast.b)) == before
    own = cast.b.signed_in(cast.b.owner).get("/staff/team/")
    assert own.status_code == 200
    _assert_nothing_of_a(own.content, cast)
    assert cast.a.clinician is not None
    assert cast.a.clinician.email.encode() not in own.content


def staff_team_deactivate(cast: Cast) -> None:
    assert cast.a.clinician is not None
    url = f"/staff/team/{cast.a.clinician.pk}/deactivate/"
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    before = _counts(cast.a), _counts(cast.b)
    response = on_b.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    # B's own owner, with A's clinician's id: no such staff member at B.
    assert cast.b.signed_in(cast.b.owner).post(url).status_code == 404
    assert (_counts(cast.a), _counts(cast.b)) == before


def staff_join_link(cast: Cast) -> None:
    token = _a_invitation_token(cast)
    on_b = cast.b.http()
    response = on_b.get(f"/staff/join/{token}/")
    assert response.status_code == 404
    _assert_nothing_of_a(response.content, cast)
    assert cast.a.http().get(f"/staff/join/{token}/").status_code == 302  # still unused on A


def staff_join(cast: Cast) -> None:
    token = _a_invitation_token(cast)
    on_a = cast.a.http()
    assert on_a.get(f"/staff/join/{token}/").status_code == 302
    on_b = cast.b.http()
    on_b.cookies.update(on_a.cookies)
    before = _counts(cast.a), _counts(cast.b)
    form = {
        "first_name": "I",
        "last_name": "J",
        "password1": "iso-pass-12345",
        "password2": "iso-pass-12345",
    }
    assert on_b.get("/staff/join/").status_code == 404
    assert on_b.post("/staff/join/", form).status_code == 404
    assert (_counts(cast.a), _counts(cast.b)) == before
    assert on_b.get("/staff/").status_code == 302


CASES: dict[str, Callable[[Cast], None]] = {
    "accounts-portal:forgot-password": forgot_password,
    "accounts-portal:reset-password": reset_password,
    "accounts-portal:reset-password-link": reset_password_link,
    "accounts:profile": staff_profile,
    "accounts:team": staff_team,
    "accounts:team-deactivate": staff_team_deactivate,
    "accounts:join": staff_join,
    "accounts:join-link": staff_join_link,
}


def staff_team_two_factor(cast: Cast) -> None:
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    before = _counts(cast.a), _counts(cast.b)
    response = on_b.post("/staff/team/two-factor/", {"requires_staff_totp": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert (_counts(cast.a), _counts(cast.b)) == before
    for practice in (cast.a, cast.b):
        with practice.schema():
            assert not StaffSecurityPolicy.objects.filter(requires_staff_totp=True).exists()


def staff_two_factor(cast: Cast) -> None:
    on_a, on_b = _a_cookie_on_b(cast, signed_in_as="owner")
    response = on_b.get("/staff/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    with cast.a.schema():
        assert not TOTPDevice.objects.exists()
    # Not pending on A: the step sends A's owner home.
    assert on_a.get("/staff/two-factor/")["Location"] == "/staff/"


CASES.update(
    {"accounts:team-two-factor": staff_team_two_factor, "accounts:two-factor": staff_two_factor}
)
