"""Owners for the practices provisioning tests make."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from provisioning.services import Owner

# Hashing once keeps the tests fast; the services take a hash, never a password.
OWNER_HASH = make_password("a-long-enough-owner-password")


def owner(email: str = "owner@new.example.com") -> Owner:
    return Owner(email=email, password_hash=OWNER_HASH, first_name="Nia", last_name="Newowner")
