"""DRF's default request parsers (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing JSON nested deeper than Python can decode (`[[[[…` a hundred
    thousand deep) with a 400: DRF turns only `ValueError` into a `ParseError`, so the
    `RecursionError` of such a body used to end in a 500."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
