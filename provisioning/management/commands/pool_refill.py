"""`manage.py pool_refill [--target N]`: top the warm pool up now."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from provisioning.services import pool_level, pool_refill


class Command(BaseCommand):
    help = "Create ready practice schemas until the warm pool holds --target (PORTICO_POOL_SIZE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--target", type=int, default=settings.PORTICO_POOL_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"]
        started = time.monotonic()
        self.stdout.write(f"Warm pool: {pool_level()} ready, target {target}.")
        made = pool_refill(target=target)
        self.stdout.write(
            f"Made {made} practice schema(s) in {time.monotonic() - started:.1f} s; "
            f"{pool_level()} ready now."
        )
