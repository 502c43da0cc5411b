"""One custom user model for every kind of person, with email as the login.

The same table exists in `public` (operators) and in each practice's schema (its staff and clients),
so an account belongs to exactly one practice and the same email at two practices is two accounts.

PHI: this app sits under `shared_apps/` ("public, never PHI") only because one model class serves
both schemas. It is installed in SHARED_APPS *and* TENANT_APPS: in `public` its rows are operators
only; in every practice schema they are that practice's staff and clients, and a client's name and
email there are PHI, like any practice table (README.md, "Layers").
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class UserKind(models.TextChoices):
    OPERATOR = "operator", "Platform operator"
    STAFF = "staff", "Practice staff"
    CLIENT = "client", "Client"


class StaffRole(models.TextChoices):
    OWNER = "owner", "Owner"
    CLINICIAN = "clinician", "Clinician"
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        """Create an account; `email` is stored lower-cased so sign-in is case-insensitive."""
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))


def normalize_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=16, choices=UserKind.choices)
    role = models.CharField(
        max_length=16, choices=StaffRole.choices, blank=True, help_text="Staff only."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["kind"]

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                name="user_role_only_for_staff",
                condition=(Q(kind=UserKind.STAFF) & ~Q(role=""))
                | (~Q(kind=UserKind.STAFF) & Q(role="")),
                violation_error_message="Staff need a role; operators and clients have none.",
            ),
            models.CheckConstraint(
                name="user_email_lower_case",
                condition=Q(email=Lower("email")),
            ),
        ]

    def __str__(self) -> str:
        # Never the email or name: this string ends up in logs and admin breadcrumbs.
        return f"{self.kind} #{self.pk}"

    @property
    def is_staff(self) -> bool:
        """Django's admin flag: nobody uses Django's admin site in Portico."""
        return False

    @property
    def is_practice_staff(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def is_client(self) -> bool:
        return self.kind == UserKind.CLIENT

    @property
    def is_operator(self) -> bool:
        return self.kind == UserKind.OPERATOR

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class TokenPurpose(models.TextChoices):
    EMAIL_CONFIRMATION = "email_confirmation", "Email confirmation"
    SIGN_IN_HANDOFF = "sign_in_handoff", "Sign-in after sign-up"
    PASSWORD_RESET = "password_reset", "Password reset"
    STAFF_INVITATION = "staff_invitation", "Staff invitation"


class AccountToken(models.Model):
    """A single-use secret sent to a person (in a link). Only its SHA-256 is stored, so a
    database leak reveals no working link; it lives in the account's own schema, so it cannot
    work on another practice's host."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=32, choices=TokenPurpose.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    password_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Keyed digest of the account's password hash when issued (password reset): "
        "any password change kills the token.",
    )

    def __str__(self) -> str:
        return f"{self.purpose} token #{self.pk}"
