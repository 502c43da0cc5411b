"""A tiny fake clamd (an outside service) on a unix or a TCP socket: it speaks INSTREAM and answers
OK, or FOUND when the stream holds the EICAR marker. Its fixtures are lent by the storage and
documents conftests."""

from __future__ import annotations

import socket
import socketserver
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd(socketserver.BaseRequestHandler):
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
        server = _UnixServer(path, FakeClamd)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"unix:{path}"
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd_tcp() -> Iterator[str]:
    server = _TcpServer(("127.0.0.1", 0), FakeClamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
