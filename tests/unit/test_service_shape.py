"""Services and selectors never see a request: they take `actor=` and `origin=` (a
`RequestOrigin` built once at the edge), so a task or a management command can call every one.

Every `services`/`selectors` module under the app roots is checked (`services.py`, `selectors.py`,
any module whose name holds one of those words, and every module of a package so named): none may
import `HttpRequest` (or DRF's `Request`) or have a function with a parameter named `request`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("shared_apps", "tenant_apps", "provisioning", "storage")
_LAYER_WORDS = ("services", "selectors")
_REQUEST_TYPES = {
    ("django.http", "HttpRequest"),
    ("django.http.request", "HttpRequest"),
    ("rest_framework.request", "Request"),
}


def _is_service_module(path: Path) -> bool:
    names = [path.stem, *(part for part in path.parent.relative_to(REPO).parts)]
    return any(word in name for name in names for word in _LAYER_WORDS)


def service_modules() -> list[Path]:
    return sorted(
        path
        for root in ROOTS
        for path in (REPO / root).rglob("*.py")
        if "migrations" not in path.parts and _is_service_module(path)
    )


def service_shape_offences(source: str) -> list[str]:
    """What in `source` breaks the rule, one line each (empty when it keeps it)."""
    offences = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            offences += [
                f"line {node.lineno}: imports {node.module}.{alias.name}"
                for alias in node.names
                if (node.module, alias.name) in _REQUEST_TYPES
            ]
        elif isinstance(node, ast.Attribute) and node.attr == "HttpRequest":
            offences.append(f"line {node.lineno}: uses {ast.unparse(node)}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            parameters = [
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *(extra for extra in (arguments.vararg, arguments.kwarg) if extra is not None),
            ]
            name = getattr(node, "name", "<lambda>")
            offences += [
                f"line {node.lineno}: {name}() takes `{parameter.arg}`"
                for parameter in parameters
                if parameter.arg == "request"
            ]
    return offences


def test_the_service_modules_are_found() -> None:
    found = {path.relative_to(REPO).as_posix() for path in service_modules()}
    assert {
        "tenant_apps/clients/services.py",
        "tenant_apps/accounts/selectors.py",
        "provisioning/services.py",
        "shared_apps/tenancy/services.py",
    } <= found


@pytest.mark.parametrize(
    "source",
    [
        "from django.http import HttpRequest\n",
        "from django.http import HttpRequest as Req\n",
        "from rest_framework.request import Request\n",
        "import django.http\n\ndef f(*, x: django.http.HttpRequest) -> None: ...\n",
        "def client_archive(*, actor, request=None) -> None: ...\n",
        "def f(request, /) -> None: ...\n",
        "class A:\n    def save(self, request) -> None: ...\n",
        "async def f(*, request) -> None: ...\n",
    ],
)
def test_the_check_catches_a_request(source: str) -> None:
    assert service_shape_offences(source)


def test_the_check_lets_actor_and_origin_through() -> None:
    source = (
        "from shared_apps.web.origin import RequestOrigin\n"
        "def client_archive(*, actor, origin: RequestOrigin | None = None, requested=True):\n"
        "    return actor\n"
    )
    assert service_shape_offences(source) == []


@pytest.mark.parametrize(
    "module", service_modules(), ids=lambda path: path.relative_to(REPO).as_posix()
)
def test_a_service_or_selector_never_takes_a_request(module: Path) -> None:
    assert service_shape_offences(module.read_text()) == []
