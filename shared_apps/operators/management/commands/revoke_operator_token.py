"""`manage.py revoke_operator_token --email … --name …`: the token stops working at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shared_apps.operators.selectors import operator_by_email
from shared_apps.operators.services import operator_api_token_revoke


class Command(BaseCommand):
    help = "Revoke an operator's platform API token by name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The operator's email.")
        parser.add_argument("--name", required=True, help="The token's name.")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = operator_by_email(options["email"])
        if operator is None:
            raise CommandError("No operator account with this email.")
        if operator_api_token_revoke(operator=operator, name=options["name"]) == 0:
            raise CommandError("This operator has no live token with that name.")
        self.stdout.write(self.style.SUCCESS(f"Token “{options['name']}” revoked."))
