"""What a submission tells the apps above forms, so that forms never imports them (onboarding may
import forms, never the reverse; see the layer order in the README)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `submission_submit` inside its transaction once the submission is stored, with the
# keyword arguments `client`, `submission`, `actor` (the client's account) and `origin`. What a
# receiver writes commits or rolls back with the submission; an exception it raises undoes the
# submission (so a receiver must not open a durable transaction).
form_submitted = Signal()
