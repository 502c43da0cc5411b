"""Changes to accounts that are not provisioning."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import TokenPurpose, User
from shared_apps.accounts.tokens import account_token_redeem


def email_confirm(*, raw_token: str) -> User | None:
    """Mark the token's account as having confirmed its email; None if the link is not valid."""
    with transaction.atomic(durable=True):
        user = account_token_redeem(raw=raw_token, purpose=TokenPurpose.EMAIL_CONFIRMATION)
        if user is not None:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at"])
        return user
