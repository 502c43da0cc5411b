"""Seed the starter forms in every schema this runs in: each practice, each warm-pool schema and
the clone template (which the clone path copies, data included). What it seeds is frozen in
`_0002_starter_forms` next to it, never read from live code."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from tenant_apps.forms.migrations._0002_starter_forms import starter_forms_seed


def seed(apps: Any, schema_editor: Any) -> None:
    starter_forms_seed(apps.get_model("forms", "Form"), apps.get_model("forms", "FormVersion"))


class Migration(migrations.Migration):
    dependencies = [("forms", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
