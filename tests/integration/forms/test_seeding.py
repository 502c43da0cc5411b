"""Every practice starts with the six starter forms: the tests' practices (migrated), a warm-pool
practice claimed at sign-up, and a practice cloned from the template."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from provisioning.schemas import template_schema_ensure
from provisioning.services import pool_level, pool_refill, practice_claim
from tenant_apps.forms.migrations._0002_starter_forms import STARTER_KEYS, starter_forms_seed
from tenant_apps.forms.models import Form, FormKind, FormVersion
from tests.cast import Cast
from tests.support.provisioning import owner

pytestmark = pytest.mark.django_db

EXPECTED = {
    ("intake", FormKind.INTAKE, "Intake questionnaire"),
    ("consent", FormKind.CONSENT, "Informed consent"),
    ("release_of_information", FormKind.RELEASE_OF_INFORMATION, "Release of information"),
    ("phq9", FormKind.PHQ9, "PHQ-9 (depression)"),
    ("gad7", FormKind.GAD7, "GAD-7 (anxiety)"),
    ("treatment_plan", FormKind.TREATMENT_PLAN, "Treatment plan"),
}


def _starters(schema_name: str) -> set[tuple[str, str, str]]:
    with schema_context(schema_name):
        forms = Form.objects.exclude(starter_key="")
        assert all(list(f.versions.values_list("number", flat=True)) == [1] for f in forms), (
            "each starter has exactly version 1"
        )
        return {(f.starter_key, f.kind, f.title) for f in forms}


def test_the_test_practices_have_the_six_starter_forms(cast: Cast) -> None:
    assert _starters(cast.a.practice.schema_name) == EXPECTED
    assert _starters(cast.b.practice.schema_name) == EXPECTED


def test_a_freshly_claimed_pool_practice_has_the_six_starter_forms(settings) -> None:
    settings.PORTICO_POOL_SIZE = 1
    assert pool_refill(target=1) == 1
    practice = practice_claim(name="Calm Minds", subdomain="calm-forms", owner=owner())
    assert _starters(practice.schema_name) == EXPECTED


def test_a_practice_cloned_from_the_template_has_the_six_starter_forms(settings) -> None:
    template_schema_ensure()
    assert _starters(settings.PORTICO_TEMPLATE_SCHEMA) == EXPECTED
    assert pool_level() == 0
    practice = practice_claim(name="Cloned", subdomain="cloned-forms", owner=owner())
    assert _starters(practice.schema_name) == EXPECTED


def test_signature_starters_carry_a_signature_field(cast: Cast) -> None:
    with cast.a.schema():
        for key in ("consent", "release_of_information", "treatment_plan"):
            version = Form.objects.get(starter_key=key).latest_version
            assert version is not None
            assert [f["type"] for f in version.fields].count("signature") == 1


def test_seeding_again_is_a_no_op_and_keeps_edited_starters(cast: Cast) -> None:
    with cast.a.schema():
        Form.objects.filter(starter_key="intake").update(title="Our intake", is_archived=True)
        before = FormVersion.objects.count()
        assert starter_forms_seed(Form, FormVersion) == 0
        assert FormVersion.objects.count() == before
        assert Form.objects.get(starter_key="intake").title == "Our intake"
        assert set(
            Form.objects.exclude(starter_key="").values_list("starter_key", flat=True)
        ) == set(STARTER_KEYS)
