"""What a log line may say about where it came from: the schema and the request id. Never PHI."""

from __future__ import annotations

from contextvars import ContextVar

_schema: ContextVar[str] = ContextVar("portico_schema", default="-")
_request_id: ContextVar[str] = ContextVar("portico_request_id", default="-")


class RequestContext:
    @staticmethod
    def set_schema(schema: str) -> None:
        _schema.set(schema)

    @staticmethod
    def set_request_id(request_id: str) -> None:
        _request_id.set(request_id)

    @staticmethod
    def schema() -> str:
        return _schema.get()

    @staticmethod
    def request_id() -> str:
        return _request_id.get()

    @staticmethod
    def clear() -> None:
        _schema.set("-")
        _request_id.set("-")


request_context = RequestContext()
