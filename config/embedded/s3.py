"""An S3-compatible server on loopback: moto's, in a thread of the launcher process.

moto keeps objects in memory, so files uploaded in `make dev` are gone when it stops; rows that
point at them stay. It does not enforce presigned expiry or POST conditions: our own verification
does (storage/).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from storage.client import bucket_ensure, s3_client_create


def s3_start(*, port: int, bucket: str) -> tuple[str, Callable[[], None]]:
    """Serve S3 on 127.0.0.1:`port` (0 picks a free port) with `bucket` created and encrypted."""
    from moto.server import ThreadedMotoServer

    if port and not _port_is_free(port):
        # moto binds inside its thread and would wait forever for a port it cannot have.
        raise RuntimeError(
            f"Cannot serve S3 on 127.0.0.1:{port}: the port is in use. Is another `make dev` "
            "running? Stop it, or set PORTICO_S3_ENDPOINT_URL to an S3 server you run."
        )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound_port = server.get_host_and_port()
    endpoint = f"http://{host}:{bound_port}"
    bucket_ensure(s3_client_create(endpoint_url=endpoint), bucket)
    return endpoint, server.stop


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
