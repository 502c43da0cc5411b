"""`manage.py migrate_all`: the deploy command. Migrates the public schema, the template schema
and every practice schema, with a progress bar, continuing past failures and listing them."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from provisioning.schemas import schema_migrate, template_schema_ensure
from provisioning.selectors import practices_to_migrate

_BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Migrate public, the template and every practice schema; report failures at the end."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("Migrating the public schema…")
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        self.stdout.write("Migrating the template schema…")
        template_schema_ensure()

        practices = practices_to_migrate()
        failures: list[tuple[str, str]] = []
        for done, practice in enumerate(practices, start=1):
            try:
                schema_migrate(practice.schema_name)
            except Exception as error:
                failures.append((practice.schema_name, f"{type(error).__name__}: {error}"))
            self._progress(done, len(practices), practice.schema_name)
        if practices:
            self.stdout.write("")

        elapsed = time.monotonic() - started
        migrated = len(practices) - len(failures)
        self.stdout.write(
            f"Done in {elapsed:.1f} s: public, template and {migrated} of {len(practices)} "
            "practice schema(s) migrated."
        )
        if failures:
            for schema_name, reason in failures:
                self.stderr.write(f"  {schema_name}: {reason}")
            raise CommandError(
                f"{len(failures)} practice schema(s) failed to migrate (listed above). Fix the "
                "cause and run `manage.py migrate_all` again: it resumes where each one stopped."
            )

    def _progress(self, done: int, total: int, schema_name: str) -> None:
        filled = round(_BAR_WIDTH * done / total)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        line = f"[{bar}] {done}/{total} {schema_name}"
        if sys.stdout.isatty():
            self.stdout.write(f"\r{line}", ending="")
        else:
            self.stdout.write(line)
