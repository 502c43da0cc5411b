"""`manage.py run_scheduler`: the one process that queues periodic work (outbox, warm pool)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shared_apps.tasks.schedule import PERIODIC_JOBS, scheduler_run


class Command(BaseCommand):
    help = "Queue periodic jobs for the Dramatiq workers, forever (Ctrl-C stops it)."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in PERIODIC_JOBS:
            self.stdout.write(f"  {job.name}: every {job.every_seconds} s")
        try:
            scheduler_run()
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")
