"""Messaging throughput: messages per second through the practice API with 1 and 2 web worker
processes, and the outbox relay's sends per second against a local SMTP sink.

    make bench-messaging                       # 400 messages per run, 4 concurrent senders
    make bench-messaging ARGS="--messages 1000 --concurrency 8"

"Worker processes" here are gunicorn's (sync) web workers: a message is sent by the request that
posts it (`POST /api/v1/conversations/<client_id>/messages/`, staff API token), which writes the
message, its audit row and the client's unread email row in one transaction; nothing about it waits
for a Dramatiq worker. The email itself goes out later through the outbox relay, measured on its
own: one relay process, one SMTP connection, rows claimed and committed one by one.

Runs in its own database (`portico_bench_messaging`, made afresh and dropped at the end; --keep
keeps it) and its own Redis database (13); never touches `bench/provision.py`'s (`portico_bench`,
Redis 14). On a 2-core machine the load generator, gunicorn and PostgreSQL share the cores, so 2
web workers cannot double the rate. The last line printed is a JSON object with the results.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.database import bench_database_recreate, bench_django_setup, bench_finish

BENCH_DATABASE = "portico_bench_messaging"
BENCH_REDIS_DB = 13
SUBDOMAIN = "bench-messaging"
REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, *, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} within {seconds:.0f} s")


def _post_messages(
    *, port: int, host: str, token: str, client_ids: list[int], count: int, concurrency: int
) -> tuple[float, list[float], int]:
    """POST `count` messages with `concurrency` threads (round robin over the clients, so that
    senders do not queue on one conversation's lock). Returns (seconds, latencies ms, errors)."""
    lock = threading.Lock()
    next_index = iter(range(count))
    latencies: list[float] = []
    errors = [0]
    body = json.dumps({"body": "Bench message: nothing clinical here."})
    headers = {
        "Host": host,
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
    }

    def sender() -> None:
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            client_id = client_ids[index % len(client_ids)]
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", f"/api/v1/conversations/{client_id}/messages/", body, headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 201
            except OSError:
                ok = False
            finally:
                conn.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=sender) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors[0]


def main() -> None:  # noqa: PLR0915 — a linear script reads best top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400, help="messages per web run")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent API senders")
    parser.add_argument("--clients", type=int, default=20, help="clients (conversations)")
    parser.add_argument("--emails", type=int, default=500, help="emails through the relay")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = bench_database_recreate(BENCH_DATABASE)
    bench_django_setup(database_url=url, redis_db=BENCH_REDIS_DB)
    import redis
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.test import override_settings
    from django_tenants.utils import schema_context

    from provisioning.services import practice_create_migrated, practice_staff_create
    from shared_apps.accounts.models import StaffRole, User, UserKind
    from tenant_apps.accounts.models import StaffApiToken
    from tenant_apps.clients.models import Client
    from tenant_apps.invitations.models import PortalAccess
    from tenant_apps.messaging.models import Message
    from tenant_apps.notifications.models import OutboundEmail, OutboundEmailState
    from tenant_apps.notifications.relay import outbox_relay_practice
    from tenant_apps.notifications.services import email_enqueue
    from tests.smtp_sink import SmtpSink

    def say(text: str) -> None:
        print(text, flush=True)

    say(f"Bench database {BENCH_DATABASE}: migrating, creating one practice (untimed)…")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    practice = practice_create_migrated(name="Bench Messaging", subdomain=SUBDOMAIN)
    host = f"{SUBDOMAIN}.localhost"
    owner = practice_staff_create(
        practice=practice,
        email="owner@bench-messaging.example.com",
        password=None,
        role=StaffRole.OWNER,
        first_name="Bench",
        last_name="Owner",
    )
    token = "ppt_" + secrets.token_urlsafe(32)
    with schema_context(practice.schema_name), transaction.atomic():
        StaffApiToken.objects.create(
            user=owner, name="bench", token_sha256=hashlib.sha256(token.encode()).hexdigest()
        )
        client_ids = []
        for n in range(args.clients):
            account = User.objects.create_user(
                f"client{n}@bench-messaging.example.com", None, kind=UserKind.CLIENT
            )
            client = Client.objects.create(
                first_name="Bench",
                last_name=f"Client {n}",
                email=account.email,
                account=account,
            )
            PortalAccess.objects.create(client=client, secure_messaging=True, allows_email=True)
            client_ids.append(client.pk)
    connections.close_all()

    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PORTICO_DB_CONN_MAX_AGE": "300",
    }
    web_rows: list[tuple[str, float, list[float], int]] = []
    rates: dict[int, float] = {}
    for workers in (1, 2):
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
        try:
            _wait_for_port(port)
            # Warm-up: every worker process opens its connections and loads its code.
            _post_messages(
                port=port,
                host=host,
                token=token,
                client_ids=client_ids,
                count=10 * workers,
                concurrency=workers,
            )
            say(f"  {workers} web worker(s): posting {args.messages} messages…")
            seconds, latencies, errors = _post_messages(
                port=port,
                host=host,
                token=token,
                client_ids=client_ids,
                count=args.messages,
                concurrency=args.concurrency,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        if errors:
            raise SystemExit(f"{errors} of {args.messages} API requests failed.")
        rates[workers] = args.messages / seconds
        web_rows.append((f"API messages, {workers} web worker(s)", seconds, latencies, errors))

    with schema_context(practice.schema_name):
        messages_stored = Message.objects.count()
        unread_emails = OutboundEmail.objects.count()
        # The relay part starts from an empty outbox: the unread emails above wait 2 minutes.
        OutboundEmail.objects.all().delete()
        with transaction.atomic():
            for n in range(args.emails):
                email_enqueue(
                    kind="bench",
                    to_email=f"reader{n}@bench-messaging.example.com",
                    subject="A secure message is waiting",
                    template_name="notifications/email/owner_email_confirmation.txt",
                    context={"first_name": "Reader", "practice_name": "Bench Messaging"},
                    idempotency_key=f"bench:{n}",
                )
        # Their `outbox_deliver` messages went to Redis database 13; nobody consumes them.
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
        with SmtpSink() as sink, override_settings(**sink.settings()):
            say(f"  relay: sending {args.emails} emails to the SMTP sink…")
            started = time.perf_counter()
            sent = outbox_relay_practice(limit=args.emails)
            relay_seconds = time.perf_counter() - started
            received = len(sink.wait_for(args.emails, timeout=10))
        states = set(OutboundEmail.objects.values_list("state", flat=True))
    if sent != args.emails or received != args.emails or states != {OutboundEmailState.SENT}:
        raise SystemExit(f"relay sent {sent}, sink received {received}, states {states}")

    say(f"\n{'case':<36} {'count':>6} {'seconds':>8} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, seconds, latencies, _ in web_rows:
        ordered = sorted(latencies)
        say(
            f"{name:<36} {len(latencies):>6} {seconds:>8.2f} {len(latencies) / seconds:>8.1f}"
            f" {statistics.median(ordered):>8.1f} {ordered[int(len(ordered) * 0.95) - 1]:>8.1f}"
        )
    say(
        f"{'outbox relay → SMTP sink':<36} {sent:>6} {relay_seconds:>8.2f}"
        f" {sent / relay_seconds:>8.1f} {'':>8} {'':>8}"
    )
    say(
        f"\n{messages_stored} messages stored (warm-ups included); {unread_emails} unread-email "
        f"rows queued by them (one per conversation: later messages add none); "
        f"{args.concurrency} concurrent senders; {os.cpu_count()} CPU cores; load average "
        f"{os.getloadavg()[0]:.1f}."
    )
    result = {
        "messages_per_s_1": round(rates[1], 1),
        "messages_per_s_2": round(rates[2], 1),
        "relay_sends_per_s": round(sent / relay_seconds, 1),
        "messages": args.messages,
        "concurrency": args.concurrency,
        "clients": args.clients,
        "messages_stored": messages_stored,
        "unread_email_rows": unread_emails,
        "relay_emails": sent,
        "sink_received": received,
        "cpu_cores": os.cpu_count(),
        # Other work on the machine slows every number above: the load when the run ended.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    bench_finish(database_url=url, keep=args.keep)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
