"""`manage.py run_scheduler`: the one process that queues periodic work (outbox, warm pool).

An entry point, like `manage.py` and `config.worker`: it runs the schedule wired in
`config/schedule.py` (the one import of `config` outside it, allowed by name in the import
contracts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from config.schedule import PERIODIC_JOBS, scheduler_run


class Command(BaseCommand):
    help = "Queue periodic jobs for the Dramatiq workers, forever (Ctrl-C stops it)."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in PERIODIC_JOBS:
            self.stdout.write(f"  {job.name}: every {job.every_seconds} s")
        try:
            scheduler_run()
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")
