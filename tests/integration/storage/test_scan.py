"""The clamd scan hook against a tiny fake clamd (an outside service) on a unix and a TCP socket:
it speaks INSTREAM and answers OK, or FOUND when the stream holds the EICAR marker."""

from __future__ import annotations

import socket
import socketserver
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from storage.keys import practice_object_key
from storage.presign import upload_form
from storage.scan import ScanFailed, ScanOutcome, clamd_instream, object_scan
from tests.cast import PracticeCast
from tests.integration.documents.support import PDF_BYTES, post_to_s3

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _FakeClamd(socketserver.BaseRequestHandler):
    received: list[bytes] = []

    def handle(self) -> None:
        conn: socket.socket = self.request
        command = b""
        while not command.endswith(b"\0"):
            command += conn.recv(1)
        if command != b"zINSTREAM\0":
            conn.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            size = struct.unpack("!I", self._exactly(conn, 4))[0]
            if size == 0:
                break
            data += self._exactly(conn, size)
        type(self).received.append(data)
        conn.sendall(b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0")

    @staticmethod
    def _exactly(conn: socket.socket, size: int) -> bytes:
        chunks = b""
        while len(chunks) < size:
            chunk = conn.recv(size - len(chunks))
            if not chunk:
                raise ConnectionError
            chunks += chunk
        return chunks


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class _TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


@pytest.fixture
def clamd_unix() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "clamd.sock")
        server = _UnixServer(path, _FakeClamd)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"unix:{path}"
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd_tcp() -> Iterator[str]:
    server = _TcpServer(("127.0.0.1", 0), _FakeClamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_clean_and_found_over_a_unix_socket(clamd_unix: str) -> None:
    assert clamd_instream([b"hello ", b"world"], address=clamd_unix) == ScanOutcome.CLEAN
    assert _FakeClamd.received[-1] == b"hello world"
    assert clamd_instream([b"x" * 70000, EICAR], address=clamd_unix) == ScanOutcome.INFECTED


def test_clean_and_found_over_tcp(clamd_tcp: str) -> None:
    assert clamd_instream([b"fine"], address=clamd_tcp) == ScanOutcome.CLEAN
    assert clamd_instream([EICAR], address=f"tcp://{clamd_tcp}") == ScanOutcome.INFECTED


def test_unreachable_clamd_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(ScanFailed):
        clamd_instream([b"x"], address=f"unix:{tmp_path / 'nothing.sock'}")


@pytest.mark.django_db
def test_object_scan_streams_the_object_or_reports_not_scanned(
    in_practice_a: PracticeCast, clamd_unix: str
) -> None:
    key = practice_object_key(area="tests")
    post_to_s3(upload_form(key=key, max_bytes=10_000).as_json(), PDF_BYTES + EICAR)
    with override_settings(PORTICO_CLAMD=""):
        assert object_scan(key) == ScanOutcome.NOT_SCANNED
    with override_settings(PORTICO_CLAMD=clamd_unix):
        assert object_scan(key) == ScanOutcome.INFECTED
    assert _FakeClamd.received[-1] == PDF_BYTES + EICAR
