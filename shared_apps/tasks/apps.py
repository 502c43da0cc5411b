from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class TasksConfig(AppConfig):
    """Installs the Dramatiq broker at start-up, then imports every app's `tasks` module so that
    actors bind to it (in the web process to send, in the worker to run)."""

    name = "shared_apps.tasks"
    label = "tasks"

    def ready(self) -> None:
        from shared_apps.tasks.broker import broker_install

        broker_install()
        autodiscover_modules("tasks")
