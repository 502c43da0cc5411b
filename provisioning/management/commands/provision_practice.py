"""`manage.py provision_practice --name … --subdomain … --owner-email …`: a practice, by hand."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser

from provisioning.services import Owner, ProvisioningError, practice_claim
from shared_apps.accounts.models import normalize_email
from shared_apps.tenancy.selectors import practice_portal_url
from shared_apps.tenancy.subdomains import SubdomainError


class Command(BaseCommand):
    help = "Create a practice with its owner and print its portal URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The practice's name, shown to clients.")
        parser.add_argument("--subdomain", required=True, help="e.g. calm-minds")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--time-zone", default="UTC")

    def handle(self, *args: Any, **options: Any) -> None:
        password = secrets.token_urlsafe(12)
        owner = Owner(email=options["owner_email"], password_hash=make_password(password))
        try:
            practice = practice_claim(
                name=options["name"],
                subdomain=options["subdomain"],
                owner=owner,
                time_zone=options["time_zone"],
                actor="command",
            )
        except (SubdomainError, ProvisioningError) as error:
            raise CommandError(str(error)) from error
        url = practice_portal_url(practice)
        self.stdout.write(self.style.SUCCESS(f"Portal ready: {url}"))
        self.stdout.write(
            f"Owner {normalize_email(owner.email)} can sign in at {url}sign-in/ with the one-time "
            f"password {password} and should change it straight away."
        )
