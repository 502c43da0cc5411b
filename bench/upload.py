"""A 100 MB upload through the presigned flow, against a real web process.

Run beside `make dev`'s data: `make bench-upload` (the dev stack, the demo practice, and an S3
server of its own). It starts gunicorn (one sync worker) on a free port, then, as a staff API
client of the demo practice: asks for an upload slot (`POST /api/v1/clients/<id>/documents/`),
posts the file straight to S3 with the presigned form, and confirms (verification by HEAD and a
ranged GET). Meanwhile it samples the web processes' RSS from /proc/<pid>/status every 20 ms.
A 1 KB upload goes first so the worker's one-time imports are not counted as upload growth
(`BENCH_UPLOAD_COLD=1` skips it: expect about 15 MB more, boto3's service models).

`bytes_through_app` is measured from gunicorn's access log, which records every request's
`Content-Length` header: the sum over the upload phase, minus the bytes of the two small JSON
control requests this script sent (slot and confirm). If the file's body went through the app it
would show up here (the script never uses chunked transfer to the app). The last line is JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import django
import requests

FILE_BYTES = int(os.environ.get("BENCH_UPLOAD_BYTES", str(100 * 1024 * 1024)))
HOST = "demo.localhost"
REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(part) for part in text.split()]


class RssSampler(threading.Thread):
    """Peak RSS (KiB) of the gunicorn master and its workers while running."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak: dict[int, int] = {}
        self.running = True

    def sample(self) -> dict[int, int]:
        return {pid: _rss_kib(pid) for pid in [self.master, *_children(self.master)]}

    def run(self) -> None:
        while self.running:
            for pid, rss in self.sample().items():
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            time.sleep(0.02)


def _setup() -> tuple[str, int, object]:
    """An API token of the demo practice's owner and the id of the bench's own client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django_tenants.utils import schema_context

    from provisioning.management.commands.ensure_demo_practice import DEMO_OWNER
    from shared_apps.accounts.models import User
    from shared_apps.tenancy.selectors import practice_for_host
    from tenant_apps.accounts.api_tokens import api_token_issue
    from tenant_apps.clients.models import Client
    from tenant_apps.clients.services import ClientData, client_create

    practice = practice_for_host(HOST)
    if practice is None:
        sys.exit("No demo practice: run `make dev` once (it creates it), then `make bench-upload`.")
    with schema_context(practice.schema_name):
        owner = User.objects.get(email=DEMO_OWNER[0])
        token = api_token_issue(actor=owner, name="bench-upload")
        # A client of its own, never invited: sharing with it sends no email.
        client = Client.objects.filter(
            first_name="Bench", last_name="Upload", email="", is_archived=False
        ).first()
        if client is None:
            client = client_create(
                actor=owner, data=ClientData(first_name="Bench", last_name="Upload")
            )
    return token, client.pk, practice


def _multipart_file(upload: dict[str, object], size: int, folder: Path) -> tuple[Path, str]:
    """The form a browser would post, written to disk (so the script streams it)."""
    boundary = uuid.uuid4().hex
    path = folder / "body.bin"
    fields = upload["fields"]
    assert isinstance(fields, dict)
    with path.open("wb") as body:
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(b"%PDF-1.7\n")
        block = os.urandom(1024 * 1024)
        remaining = size - len(b"%PDF-1.7\n")
        while remaining > 0:
            piece = block[: min(len(block), remaining)]
            body.write(piece)
            remaining -= len(piece)
        body.write(f"\r\n--{boundary}--\r\n".encode())
    return path, boundary


def _body_bytes(log: Path, start_line: int) -> tuple[int, int]:
    """(requests, sum of request Content-Length) logged after `start_line`."""
    lines = log.read_text().splitlines()[start_line:]
    total = 0
    for line in lines:
        length = line.rsplit(" ", 1)[-1]
        total += int(length) if length.isdigit() else 0
    return len(lines), total


def _start_web(port: int, access_log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "PORTICO_UPLOAD_MAX_BYTES": str(FILE_BYTES + 1024 * 1024),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %({content-length}i)s",
    ]
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_ready(base: str, headers: dict[str, str]) -> None:
    for _ in range(300):
        try:
            if requests.get(base, headers=headers, timeout=30).status_code == 200:
                # Warm up once more: the worker has imported and served this API already.
                requests.get(base, headers=headers, timeout=10).raise_for_status()
                time.sleep(0.5)
                return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    sys.exit("The web process did not answer.")


def _upload(
    base: str, headers: dict[str, str], folder: Path, size: int = FILE_BYTES
) -> tuple[int, dict[str, object], float, float]:
    """Slot, POST to S3, confirm. (control bytes sent to the app, confirm JSON, S3 s, total s)."""
    started = time.perf_counter()
    slot_body = json.dumps({"filename": "bench.pdf", "size": size}).encode()
    slot = requests.post(
        base, data=slot_body, headers={**headers, "Content-Type": "application/json"}, timeout=30
    )
    slot.raise_for_status()
    upload = slot.json()["upload"]
    body_path, boundary = _multipart_file(upload, size, folder)
    posted_at = time.perf_counter()
    with body_path.open("rb") as body:
        stored = requests.post(
            upload["url"],
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(body_path.stat().st_size),
            },
            timeout=600,
        )
    stored.raise_for_status()
    s3_seconds = time.perf_counter() - posted_at
    document_id = slot.json()["document"]["id"]
    confirmed = requests.post(f"{base}{document_id}/confirm/", headers=headers, timeout=120)
    answer = {"status": confirmed.status_code, **confirmed.json()}
    # The confirm request has no body: the slot's JSON is all the app was sent on purpose.
    return len(slot_body), answer, s3_seconds, time.perf_counter() - started


def _revoke_tokens(practice: object) -> None:
    from django_tenants.utils import schema_context

    from shared_apps.accounts.models import User
    from tenant_apps.accounts.api_tokens import api_token_revoke
    from tenant_apps.accounts.models import StaffApiToken

    with schema_context(practice.schema_name):  # type: ignore[attr-defined]
        for row in StaffApiToken.objects.filter(name="bench-upload", revoked_at__isnull=True):
            api_token_revoke(actor=User.objects.get(pk=row.user_id), token_id=row.pk)


def main() -> None:
    token, client_id, practice = _setup()
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    access_log = folder / "access.log"
    web = _start_web(port, access_log)
    base = f"http://127.0.0.1:{port}/api/v1/clients/{client_id}/documents/"
    headers = {"Host": HOST, "Authorization": f"Bearer {token}"}
    try:
        _wait_ready(base, headers)
        # One small upload first: the worker's one-time costs (boto3's service models, about
        # 15 MB) are paid before the measured upload. Set BENCH_UPLOAD_COLD=1 to include them.
        if not os.environ.get("BENCH_UPLOAD_COLD"):
            _upload(base, headers, folder, size=1024)
            time.sleep(0.5)
        sampler = RssSampler(web.pid)
        before = sampler.sample()
        log_start = len(access_log.read_text().splitlines())
        sampler.start()
        control_bytes, confirmed, s3_seconds, elapsed = _upload(base, headers, folder)
        time.sleep(0.2)
        sampler.running = False
        sampler.join()
        requests_seen, body_total = _body_bytes(access_log, log_start)
        worker = next(iter(_children(web.pid)), web.pid)
        result = {
            "file_bytes": FILE_BYTES,
            "worker_warmed_up": not os.environ.get("BENCH_UPLOAD_COLD"),
            "confirm_status": confirmed["status"],
            "state": confirmed.get("state"),
            "app_requests": requests_seen,
            "app_request_body_bytes_total": body_total,
            "bytes_through_app": body_total - control_bytes,
            "rss_before_mb": round(before.get(worker, 0) / 1024, 1),
            "rss_peak_mb": round(sampler.peak.get(worker, 0) / 1024, 1),
            "rss_growth_mb": round((sampler.peak.get(worker, 0) - before.get(worker, 0)) / 1024, 2),
            "rss_growth_master_mb": round(
                (sampler.peak.get(web.pid, 0) - before.get(web.pid, 0)) / 1024, 2
            ),
            "s3_post_seconds": round(s3_seconds, 2),
            "total_seconds": round(elapsed, 2),
        }
        print(
            f"Uploaded {FILE_BYTES / 1024 / 1024:.0f} MB to S3 in {s3_seconds:.1f} s; "
            f"the web process saw {requests_seen} requests in the upload phase."
        )
        print(json.dumps(result))
    finally:
        web.terminate()
        web.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
        _revoke_tokens(practice)


if __name__ == "__main__":
    main()
