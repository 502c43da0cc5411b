"""The type of a file by its content (magic bytes), never by its name (DESIGN.md §11.6).

Allowed: PDF, PNG, JPEG, HEIC, DOCX and plain UTF-8 text. Anything else (executables, HTML in
disguise, archives, legacy Office files) is `None`.
"""

from __future__ import annotations

import codecs
import struct
from collections.abc import Callable

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain; charset=utf-8"

# Bytes read from the start of an object to decide its type (and to check text).
SNIFF_BYTES = 64 * 1024

# The file name extensions that may carry each type: a file's name must agree with its content.
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    PNG: frozenset({"png"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    HEIC: frozenset({"heic", "heif"}),
    DOCX: frozenset({"docx"}),
    TEXT: frozenset({"txt", "text"}),
}
ALLOWED_EXTENSIONS = frozenset().union(*EXTENSIONS.values())
LABELS = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    HEIC: "HEIC image",
    DOCX: "Word document",
    TEXT: "Text",
}

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_EOCD = b"PK\x05\x06"
_CENTRAL_ENTRY = b"PK\x01\x02"
_MAX_CENTRAL_DIRECTORY = 1024 * 1024

# Reads bytes start..end (inclusive) of the object being sniffed.
RangeReader = Callable[[int, int], bytes]


def extension_of(filename: str) -> str:
    """The lower-case extension of `filename` ("" when it has none)."""
    base = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def sniff(head: bytes, *, size: int, read_range: RangeReader) -> str | None:
    """The content type of an object of `size` bytes whose first bytes are `head`; `read_range`
    fetches more (the end of a ZIP file, where its directory is). None when not allowed."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return HEIC
    if head.startswith(b"PK\x03\x04"):
        names = _zip_names(size=size, read_range=read_range)
        return DOCX if {"[Content_Types].xml", "word/document.xml"} <= names else None
    if _is_text(head, is_complete=len(head) >= size):
        return TEXT
    return None


def _is_text(head: bytes, *, is_complete: bool) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        # A multi-byte character cut by the end of `head` is fine unless the file ends there.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=is_complete)
    except UnicodeDecodeError:
        return False
    return True


def _zip_names(*, size: int, read_range: RangeReader) -> set[str]:
    """The member names in a ZIP file's central directory (empty when it cannot be read)."""
    tail_start = max(0, size - (22 + 0xFFFF))
    tail = read_range(tail_start, size - 1)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return set()
    directory_size, directory_offset = struct.unpack("<II", tail[at + 12 : at + 20])
    if directory_size > _MAX_CENTRAL_DIRECTORY or directory_offset + directory_size > size:
        return set()
    if directory_offset >= tail_start:
        start = directory_offset - tail_start
        directory = tail[start : start + directory_size]
    elif directory_size:
        directory = read_range(directory_offset, directory_offset + directory_size - 1)
    else:
        return set()
    names: set[str] = set()
    position = 0
    while directory[position : position + 4] == _CENTRAL_ENTRY and position + 46 <= len(directory):
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", directory[position + 28 : position + 34]
        )
        name = directory[position + 46 : position + 46 + name_length]
        names.add(name.decode("utf-8", errors="replace"))
        position += 46 + name_length + extra_length + comment_length
    return names
