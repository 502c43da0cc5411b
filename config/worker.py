"""Entry point of the Dramatiq worker: `dramatiq config.worker`.

Setting Django up installs the broker and imports every app's actors (shared_apps.tasks).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()
