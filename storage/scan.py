"""The virus-scan hook: clamd's INSTREAM command over its unix or TCP socket.

With `PORTICO_CLAMD` unset the result is "not scanned", and staff see it as such. The object is
streamed from S3 to clamd in chunks; it is never held whole in memory.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from enum import StrEnum

from django.conf import settings

from storage.practice_objects import practice_object_chunks

CLAMD_TIMEOUT_SECONDS = 60.0
# clamd's default StreamMaxLength is 25 MB; chunks stay well under its per-chunk limit.
_CHUNK_BYTES = 64 * 1024


class ScanOutcome(StrEnum):
    NOT_SCANNED = "not_scanned"
    CLEAN = "clean"
    INFECTED = "infected"


class ScanFailed(Exception):
    """clamd could not be reached or answered with an error; the file stays unverified."""


def _connect(address: str, timeout: float) -> socket.socket:
    """`unix:/path`, `/path`, `tcp://host:port` or `host:port`."""
    if address.startswith(("unix:", "/")):
        path = address.removeprefix("unix://").removeprefix("unix:")
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.settimeout(timeout)
        unix.connect(path)
        return unix
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def clamd_instream(
    chunks: Iterable[bytes], *, address: str, timeout: float = CLAMD_TIMEOUT_SECONDS
) -> ScanOutcome:
    """Send `chunks` to clamd at `address` with INSTREAM; CLEAN or INFECTED.

    Raises ScanFailed when clamd cannot be reached or reports an error (e.g. size limit)."""
    try:
        with _connect(address, timeout) as conn:
            conn.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), _CHUNK_BYTES):
                    piece = chunk[start : start + _CHUNK_BYTES]
                    conn.sendall(struct.pack("!I", len(piece)) + piece)
            conn.sendall(struct.pack("!I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = conn.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        raise ScanFailed("The virus scanner could not be reached.") from error
    answer = reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()
    if answer.endswith("FOUND"):
        return ScanOutcome.INFECTED
    if answer.endswith(": OK"):
        return ScanOutcome.CLEAN
    raise ScanFailed("The virus scanner answered with an error.")


def object_scan(key: str) -> ScanOutcome:
    """Scan the current practice's object at `key` when PORTICO_CLAMD is set; NOT_SCANNED
    otherwise. Raises ScanFailed (clamd down or erroring) and ForeignKeyRefused."""
    address = settings.PORTICO_CLAMD
    if not address:
        return ScanOutcome.NOT_SCANNED
    return clamd_instream(practice_object_chunks(key), address=address)
