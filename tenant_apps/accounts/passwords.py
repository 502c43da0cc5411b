from __future__ import annotations

from django.utils.crypto import salted_hmac

from shared_apps.accounts.models import User


def password_digest(user: User) -> str:
    """A keyed digest of the account's current password hash: it changes with every password
    change, and reveals nothing of the hash without SECRET_KEY."""
    return salted_hmac("portico.password-reset", user.password, algorithm="sha256").hexdigest()
