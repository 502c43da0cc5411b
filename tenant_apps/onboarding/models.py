"""What a client tells the practice during onboarding. PHI: practice schema only.

One row per client and step; a step is done once its row exists.
"""

from __future__ import annotations

from django.db import models

from tenant_apps.clients.models import Client


class Demographics(models.Model):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="demographics")
    address_line1 = models.CharField("Street address", max_length=200)
    address_line2 = models.CharField("Address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField("Postal code", max_length=20)
    country = models.CharField(max_length=100, blank=True)
    gender_identity = models.CharField("Gender identity", max_length=100, blank=True)
    preferred_language = models.CharField("Preferred language", max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Demographics of client #{self.client_id}"


class EmergencyContact(models.Model):
    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="emergency_contact"
    )
    name = models.CharField("Contact's name", max_length=200)
    relationship = models.CharField(max_length=100)
    phone = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Emergency contact of client #{self.client_id}"


class Insurance(models.Model):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="insurance")
    provider = models.CharField("Insurance company", max_length=200)
    member_id = models.CharField("Member ID", max_length=100)
    group_number = models.CharField("Group number", max_length=100, blank=True)
    policy_holder = models.CharField(
        "Policy holder", max_length=200, blank=True, help_text="Leave empty if it is you."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Insurance of client #{self.client_id}"
