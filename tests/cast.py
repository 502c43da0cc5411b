"""The people every test can use: two practices, A and B, and their staff and clients.

Practice B is the outsider: whatever belongs to A must never be reachable from B's host or by
B's people, and the other way round.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.test import Client
from django_tenants.utils import schema_context

from shared_apps.accounts.models import User
from shared_apps.tenancy.models import Practice

PASSWORD = "correct-horse-battery-staple"


@dataclass(frozen=True)
class PracticeCast:
    practice: Practice
    host: str
    owner: User
    client_user: User
    clinician: User | None = None

    def schema(self) -> AbstractContextManager[None]:
        """`with cast.a.schema():` runs the block in this practice's schema (then back to where
        it was)."""
        return schema_context(self.practice.schema_name)

    def http(self) -> Client:
        """A browser-like test client speaking to this practice's host."""
        return Client(HTTP_HOST=self.host)

    def signed_in(self, user: User) -> Client:
        """A client holding a session of `user`, stored in this practice's own session table."""
        http = self.http()
        with self.schema():
            http.force_login(user)
        return http


@dataclass(frozen=True)
class Cast:
    a: PracticeCast
    b: PracticeCast

    def phi(self) -> list[str]:
        """Strings that must never appear in a log line: every person's name and email."""
        people = [
            self.a.owner,
            self.a.client_user,
            self.a.clinician,
            self.b.owner,
            self.b.client_user,
        ]
        return [
            value
            for person in people
            if person is not None
            for value in (person.email, person.first_name, person.last_name)
            if value
        ]
