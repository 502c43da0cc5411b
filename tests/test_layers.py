"""The import contracts of pyproject.toml (`[tool.importlinter]`, README.md "Layers") hold, and
breaking one fails the check; tests import their helpers from tests/support/, never a conftest."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
ROOT_PACKAGES = ("config", "shared_apps", "tenant_apps", "provisioning", "storage")


def _lint_imports(cwd: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    options = [option for contract in contracts for option in ("--contract", contract)]
    return subprocess.run(  # noqa: S603
        [LINT_IMPORTS, "--no-cache", "--no-logo", *options],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("contract", "module", "forbidden_import"),
    [
        ("config-is-wiring", "tenant_apps/clients/services.py", "config.urls_tenant"),
        ("public-below-practice", "shared_apps/tenancy/selectors.py", "tenant_apps.audit.services"),
        ("tenant-layers", "tenant_apps/audit/services.py", "tenant_apps.portal.views"),
        ("storage-imports-no-app", "storage/keys.py", "shared_apps.tenancy.models"),
    ],
)
def test_one_forbidden_import_breaks_its_contract(
    tmp_path: Path, contract: str, module: str, forbidden_import: str
) -> None:
    """The checker, run on a copy of the code, fails the contract once one forbidden import is
    added, naming it (whatever else the contract finds, it did not find this before)."""
    for package in ROOT_PACKAGES:
        shutil.copytree(
            REPO / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"),
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    importer = module.removesuffix(".py").replace("/", ".")
    violation = f"{importer} -> {forbidden_import}"
    before = _lint_imports(tmp_path, contract)
    assert violation not in before.stdout

    with (tmp_path / module).open("a") as source:
        source.write(f"\nimport {forbidden_import}  # noqa\n")
    after = _lint_imports(tmp_path, contract)

    assert after.returncode == 1
    assert "BROKEN" in after.stdout
    assert violation in after.stdout


def test_no_test_module_imports_a_conftest() -> None:
    """Helpers live in tests/support/; a conftest only declares fixtures."""
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or "", *(alias.name for alias in node.names)]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{path.relative_to(REPO)}: {name}"
                for name in names
                if name.split(".")[-1] == "conftest"
            ]
    assert offenders == []
