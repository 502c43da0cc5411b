from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    """The information a client gives when they first arrive (demographics, emergency contact,
    insurance), one step each, as the practice asked for it."""

    name = "tenant_apps.onboarding"
    label = "onboarding"

    def ready(self) -> None:
        # Forms sits below onboarding and never imports it: a submitted form reaches the
        # completion check through this signal, inside the submission's transaction.
        from tenant_apps.forms.submissions.signals import form_submitted

        form_submitted.connect(_form_submitted, dispatch_uid="onboarding-completion-check")


def _form_submitted(sender: object, **kwargs: Any) -> None:
    from tenant_apps.onboarding.services import onboarding_completion_check

    onboarding_completion_check(
        actor=kwargs["actor"], client=kwargs["client"], origin=kwargs["origin"]
    )
