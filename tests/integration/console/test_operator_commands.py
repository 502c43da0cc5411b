"""`create_operator`, `create_operator_token`, `revoke_operator_token`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shared_apps.accounts.models import User, UserKind
from shared_apps.operators.models import OperatorApiToken
from shared_apps.operators.selectors import api_token_digest
from tests.cast import Cast
from tests.support.console import OPERATOR_EMAIL, PLATFORM_HOST

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a-sound-operator-passphrase"


def _create(monkeypatch: pytest.MonkeyPatch, *passwords: str, stdin: bool = False) -> str:
    out = io.StringIO()
    if stdin:
        monkeypatch.setattr("sys.stdin", io.StringIO(passwords[0] + "\n"))
        call_command(
            "create_operator",
            "--email",
            "New.Op@Platform.example.com",
            "--password-stdin",
            stdout=out,
        )
    else:
        answers = iter(passwords)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        call_command("create_operator", "--email", "New.Op@Platform.example.com", stdout=out)
    return out.getvalue()


def test_create_operator_prompts_twice_and_says_what_next(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _create(monkeypatch, GOOD_PASSWORD, GOOD_PASSWORD)
    operator = User.objects.get(email="new.op@platform.example.com")
    assert operator.kind == UserKind.OPERATOR
    assert operator.check_password(GOOD_PASSWORD)
    assert "http://localhost/console/sign-in/" in output
    assert "authenticator app" in output
    assert "create_operator_token --email new.op@platform.example.com" in output
    # Only in `public`: the practices know nothing of it.
    with cast.a.schema():
        assert not User.objects.filter(kind=UserKind.OPERATOR).exists()


def test_create_operator_reads_the_password_from_stdin(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(monkeypatch, GOOD_PASSWORD, stdin=True)
    assert User.objects.get(email="new.op@platform.example.com").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("passwords", "message"),
    [
        ((GOOD_PASSWORD, "something-else-entirely"), "The two passwords differ"),
        (("short", "short"), "too short"),
        (("password123", "password123"), "too common"),
        (("", ""), "cannot be empty"),
    ],
)
def test_create_operator_refuses_bad_passwords(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, passwords: tuple[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _create(monkeypatch, *passwords)
    assert not User.objects.filter(email="new.op@platform.example.com").exists()


def test_create_operator_refuses_an_existing_email(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(monkeypatch, GOOD_PASSWORD, GOOD_PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        _create(monkeypatch, GOOD_PASSWORD, GOOD_PASSWORD)


def test_token_commands_print_once_store_the_hash_and_revoke(cast: Cast, operator: User) -> None:
    out = io.StringIO()
    call_command("create_operator_token", "--email", OPERATOR_EMAIL, "--name", "ci", stdout=out)
    token = next(line for line in out.getvalue().splitlines() if line.startswith("pto_"))
    row = OperatorApiToken.objects.get(operator=operator, name="ci")
    assert row.token_sha256 == api_token_digest(token)
    http = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert http.get("/api/platform/practices/").status_code == 200

    with pytest.raises(CommandError, match="already has a live token"):
        call_command("create_operator_token", "--email", OPERATOR_EMAIL, "--name", "ci")
    with pytest.raises(CommandError, match="No operator account"):
        call_command("create_operator_token", "--email", cast.a.owner.email, "--name", "x")

    call_command("revoke_operator_token", "--email", OPERATOR_EMAIL, "--name", "ci", stdout=out)
    assert http.get("/api/platform/practices/").status_code == 401
    with pytest.raises(CommandError, match="no live token"):
        call_command("revoke_operator_token", "--email", OPERATOR_EMAIL, "--name", "ci")
