"""`manage.py run_outbox [--loop SECONDS]`: send the due outbox emails of every active practice."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tenant_apps.notifications.relay import outbox_relay_all


class Command(BaseCommand):
    help = (
        "Send due outbox emails of every active practice once and print how many were sent; "
        "with --loop, sweep again every SECONDS until interrupted."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="keep sweeping, pausing SECONDS between sweeps, until Ctrl-C",
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="emails sent per practice and sweep"
        )

    def handle(self, *args: Any, loop: float | None, limit: int, **options: Any) -> None:
        if loop is None:
            sent = outbox_relay_all(limit_per_practice=limit)
            self.stdout.write(f"Sent {sent} email{'' if sent == 1 else 's'}.")
            return
        try:
            while True:
                # Recycle expired or broken connections, as Django does around each request.
                close_old_connections()
                sent = outbox_relay_all(limit_per_practice=limit)
                if sent:
                    self.stdout.write(f"Sent {sent} email{'' if sent == 1 else 's'}.")
                time.sleep(loop)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
