"""One reading of the client's address: `shared_apps/web/origin.py`. Anything else that read the
peer's address directly would record the proxy's behind a load balancer (and lock a practice
out)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THE_ONE_READER = ROOT / "shared_apps" / "web" / "origin.py"


def test_only_origin_reads_the_peer_address() -> None:
    readers = sorted(
        str(path.relative_to(ROOT))
        for top in ("config", "shared_apps", "tenant_apps", "provisioning", "storage")
        for path in (ROOT / top).rglob("*.py")
        if path != THE_ONE_READER and "REMOTE_ADDR" in path.read_text()
    )
    assert readers == []


def test_origin_itself_reads_it() -> None:
    assert "REMOTE_ADDR" in THE_ONE_READER.read_text()
