"""`manage.py create_operator_token --email … --name …`: a platform API token, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shared_apps.operators.errors import OperatorError
from shared_apps.operators.selectors import operator_by_email
from shared_apps.operators.services import operator_api_token_create


class Command(BaseCommand):
    help = "Create a platform API token for an operator and print it (only its hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The operator's email.")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. terraform.")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = operator_by_email(options["email"])
        if operator is None:
            raise CommandError("No operator account with this email.")
        try:
            row, token = operator_api_token_create(operator=operator, name=options["name"])
        except OperatorError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"API token “{row.name}” created for {operator.email}.")
        )
        self.stdout.write(token)
        self.stdout.write(
            "Store it now: it cannot be shown again. Send it as `Authorization: Bearer <token>` "
            "to /api/platform/. Revoke it with manage.py revoke_operator_token."
        )
