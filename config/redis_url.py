"""Helpers for Redis URLs (TCP `redis://` / `rediss://` and unix-socket `unix://`)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def redis_url_with_db(url: str, db: int) -> str:
    """Return `url` pointing at logical database `db`, whatever form the URL has."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(db)
        # urlunsplit would drop the empty authority of `unix:///path`.
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{db}"))
