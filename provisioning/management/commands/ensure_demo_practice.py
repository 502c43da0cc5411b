"""`manage.py ensure_demo_practice`: the demo practice `make dev` serves, with known sign-ins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from provisioning.services import (
    practice_client_account_create,
    practice_create_migrated,
    practice_staff_create,
)
from shared_apps.accounts.models import StaffRole, User
from shared_apps.tenancy.selectors import practice_portal_url

DEMO_SUBDOMAIN = "demo"
DEMO_OWNER = ("owner@demo.portico.test", "demo-owner-password")
DEMO_CLIENT = ("client@demo.portico.test", "demo-client-password")


class Command(BaseCommand):
    help = "Create the demo practice and its demo owner and client, if missing (dev only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo practice has published passwords; it is only made when DEBUG is on."
            )
        practice = practice_create_migrated(name="Demo Therapy Practice", subdomain=DEMO_SUBDOMAIN)
        with schema_context(practice.schema_name):
            has_owner = User.objects.filter(email=DEMO_OWNER[0]).exists()
            has_client = User.objects.filter(email=DEMO_CLIENT[0]).exists()
        if not has_owner:
            practice_staff_create(
                practice=practice,
                email=DEMO_OWNER[0],
                password=DEMO_OWNER[1],
                role=StaffRole.OWNER,
                first_name="Dana",
                last_name="Owner",
            )
        if not has_client:
            practice_client_account_create(
                practice=practice,
                email=DEMO_CLIENT[0],
                password=DEMO_CLIENT[1],
                first_name="Casey",
                last_name="Client",
            )
        url = practice_portal_url(practice)
        self.stdout.write(
            f"Demo practice: {url}\n"
            f"  staff sign-in:  {DEMO_OWNER[0]} / {DEMO_OWNER[1]}  ({url}sign-in/)\n"
            f"  client sign-in: {DEMO_CLIENT[0]} / {DEMO_CLIENT[1]}"
        )
