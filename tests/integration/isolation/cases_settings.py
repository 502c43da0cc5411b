"""Isolation cases for Settings > Portal: A's owner's session on B's host reads and changes
nothing, and B's own owner sees only B's settings."""

from __future__ import annotations

from collections.abc import Callable

from django.forms.models import model_to_dict

from shared_apps.tenancy.models import Practice
from tenant_apps.audit.models import AuditEntry
from tenant_apps.practice_settings.selectors import portal_settings
from tenant_apps.practice_settings.services import portal_settings_update
from tests.cast import Cast, PracticeCast
from tests.integration.isolation.cases import _a_cookie_on_b, _assert_nothing_of_a

_URL = "/staff/settings/portal/"


def _state(practice: PracticeCast) -> tuple[object, ...]:
    with practice.schema():
        row = model_to_dict(portal_settings())
        audited = AuditEntry.objects.filter(action="settings.portal_updated").count()
    public = Practice.objects.values_list("name", "time_zone").get(pk=practice.practice.pk)
    return row, audited, public


def settings_portal(cast: Cast) -> None:
    with cast.a.schema():
        portal_settings_update(actor=cast.a.owner, address_line1="1 Private Lane A")
    a_before, b_before = _state(cast.a), _state(cast.b)
    _, on_b = _a_cookie_on_b(cast, signed_in_as="owner")

    read = on_b.get(_URL)
    assert read.status_code == 302
    assert read["Location"].startswith("/sign-in/")
    written = on_b.post(_URL, {"name": "Taken", "time_zone": "UTC", "address_line1": "x"})
    assert written.status_code == 302
    assert written["Location"].startswith("/sign-in/")
    assert (_state(cast.a), _state(cast.b)) == (a_before, b_before)

    own = cast.b.signed_in(cast.b.owner).get(_URL)
    assert own.status_code == 200
    assert b"http://b.localhost/" in own.content
    assert b"1 Private Lane A" not in own.content
    _assert_nothing_of_a(own.content, cast)


CASES: dict[str, Callable[[Cast], None]] = {
    "practice_settings:portal": settings_portal,
}
