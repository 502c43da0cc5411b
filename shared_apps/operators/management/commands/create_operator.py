"""`manage.py create_operator --email …`: a platform operator account, in the public schema."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from shared_apps.operators.errors import OperatorError
from shared_apps.operators.services import operator_create
from shared_apps.tenancy.selectors import host_url


class Command(BaseCommand):
    help = (
        "Create a platform operator account. Prompts for the password twice (or reads one line "
        "from standard input with --password-stdin); the authenticator app is set up at first "
        "sign-in to the console."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of prompting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = _password_read(from_stdin=options["password_stdin"])
        try:
            operator = operator_create(
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except OperatorError as error:
            raise CommandError(str(error)) from error
        sign_in = host_url(
            settings.PORTICO_DOMAIN,
            reverse("console:sign-in", urlconf=settings.PUBLIC_SCHEMA_URLCONF),
        )
        self.stdout.write(self.style.SUCCESS(f"Operator {operator.email} created."))
        self.stdout.write(
            "Next:\n"
            f"  1. Sign in at {sign_in} and scan the QR code with an authenticator app (TOTP).\n"
            "     No console page opens until that is done, so do it now.\n"
            "  2. For automation, make a platform API token:\n"
            f"     manage.py create_operator_token --email {operator.email} --name <purpose>"
        )


def _password_read(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password on standard input.")
        return password
    password = getpass.getpass("Password: ")
    if not password:
        raise CommandError("The password cannot be empty.")
    if getpass.getpass("Password (again): ") != password:
        raise CommandError("The two passwords differ. Nothing was created.")
    return password
