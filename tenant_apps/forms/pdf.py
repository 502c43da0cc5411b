"""PDFs of a completed form and of a signature evidence record, drawn with fpdf2 (pure Python).

Text is set in DejaVu Sans (Unicode) when the font is installed (Debian: `fonts-dejavu-core`;
the directory can be named by the `PORTICO_PDF_FONT_DIR` setting). Characters the font cannot
draw become "?" *before* rendering: fpdf2 would otherwise log the missing characters, and a log
line must never carry what a client typed. Without DejaVu the PDF falls back to the built-in
Helvetica and Latin-1, with the same replacement.

The functions return bytes and touch no database beyond the related rows already loaded by the
caller's selector; the views stream them as attachments.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF, XPos, YPos

from tenant_apps.forms.evidence import CANONICAL_FORMAT
from tenant_apps.forms.filling import answer_rows
from tenant_apps.forms.schema import FieldType
from tenant_apps.forms.signing import png_bytes, png_data_url_valid

_DEFAULT_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
_FAMILY = "Body"
_CORE_FAMILY = "Helvetica"


@lru_cache(maxsize=1)
def _font_files() -> tuple[Path, Path] | None:
    configured = getattr(settings, "PORTICO_PDF_FONT_DIR", "")
    for directory in (configured, *_DEFAULT_FONT_DIRS) if configured else _DEFAULT_FONT_DIRS:
        regular = Path(directory) / "DejaVuSans.ttf"
        bold = Path(directory) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Document(FPDF):
    """A4 portrait with a footer naming the practice and the page."""

    def __init__(self, *, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.family = _CORE_FAMILY
        fonts = _font_files()
        if fonts is not None:
            self.add_font(_FAMILY, "", str(fonts[0]))
            self.add_font(_FAMILY, "B", str(fonts[1]))
            self.family = _FAMILY
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        # A fixed creation date keeps the bytes free of the render time (and reproducible).
        self.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
        self.alias_nb_pages()
        self.add_page()

    def safe(self, text: str) -> str:
        """`text` with every character the current font cannot draw replaced by "?"."""
        font = self.current_font
        cmap = getattr(font, "cmap", None)
        if cmap is not None:
            return "".join(ch if ch in "\n\t" or ord(ch) in cmap else "?" for ch in text)
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.use(size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.safe(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def use(self, *, size: float = 10.5, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def para(self, text: str, *, size: float = 10.5, bold: bool = False, gap: float = 1.5) -> None:
        self.use(size=size, bold=bold)
        self.multi_cell(
            0, size * 0.5, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(gap)

    def pair(self, label: str, value: str) -> None:
        self.para(label, size=9, bold=True, gap=0.3)
        self.para(value or "—", gap=2.5)

    def rule(self) -> None:
        self.ln(1)
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)

    def signature_image(self, data_url: str) -> None:
        if not data_url or not png_data_url_valid(data_url):
            return
        if self.get_y() + 32 > self.page_break_trigger:
            self.add_page()
        self.image(io.BytesIO(png_bytes(data_url)), h=28, keep_aspect_ratio=True)
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())


@dataclass(frozen=True)
class PdfContext:
    """What frames a PDF: the practice's name and its time zone for dates."""

    practice_name: str
    time_zone: str = "UTC"


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _when(moment: datetime | None, zone: str) -> str:
    """Local time of the practice, then the exact UTC instant."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment, timezone=_zone(zone))
    utc = moment.astimezone(UTC)
    return f"{local:%Y-%m-%d %H:%M} ({local.tzname()}) — {utc:%Y-%m-%dT%H:%M:%SZ}"


def submission_pdf(*, submission: Any, context: PdfContext) -> bytes:
    """A completed form: the questions of the version the client saw, their answers, the score
    and severity band when the form is scored, and the signature when it was signed.
    `submission` comes with `share__form`, `share__client`, `version` and (optionally)
    `signature` loaded."""
    share = submission.share
    document = _Document(footer_text=f"{context.practice_name} — form {submission.pk}")
    document.para(context.practice_name, size=9, gap=1)
    document.para(share.form.title, size=16, bold=True, gap=2)
    document.pair("Client", share.client.full_name)
    document.pair(
        "Form version",
        f"Version {submission.version.number} (form {share.form_id}, version id "
        f"{submission.version_id})",
    )
    document.pair("Submitted", _when(submission.submitted_at, context.time_zone))
    if submission.score is not None:
        band = f" — {submission.severity}" if submission.severity else ""
        document.pair("Score", f"{submission.score}{band}")
    for flag in submission.flags or []:
        label = flag.get("label") if isinstance(flag, dict) else str(flag)
        document.pair("Flag", str(label))
    document.rule()
    for row in answer_rows(submission.version.field_list, submission.answers or {}):
        if row.type == FieldType.HEADING:
            document.para(row.label, size=13, bold=True, gap=1)
            if row.help:
                document.para(row.help, gap=3)
            continue
        document.pair(row.label, row.answer)
    evidence = getattr(submission, "signature", None) if _has_signature(submission) else None
    if evidence is not None:
        document.rule()
        document.para("Signature", size=13, bold=True, gap=1)
        document.pair("Signed by (typed name)", evidence.typed_name)
        document.signature_image(evidence.drawn_signature)
        if not evidence.drawn_signature:
            document.para("The signer confirmed the typed name as their signature.", gap=2.5)
        document.pair("Signed at", _when(evidence.signed_at, context.time_zone))
        document.pair("Answers fingerprint (SHA-256)", evidence.answers_sha256)
    return document.bytes()


def _has_signature(submission: Any) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return submission.signature is not None
    except ObjectDoesNotExist:
        return False


def evidence_pdf(*, evidence: Any, is_intact: bool, context: PdfContext) -> bytes:
    """The signature evidence record: who signed which form version when and from where, the
    recorded hash, how it is computed, and whether the stored answers still match it now.
    `evidence` comes with `submission__share__form`, `signer` and `version` loaded."""
    submission = evidence.submission
    form = submission.share.form
    document = _Document(footer_text=f"{context.practice_name} — signature evidence {evidence.pk}")
    document.para(context.practice_name, size=9, gap=1)
    document.para("Signature evidence record", size=16, bold=True, gap=2)
    document.pair("Form", f"{form.title} (form id {form.pk})")
    document.pair(
        "Version signed", f"Version {evidence.version.number} (version id {evidence.version_id})"
    )
    document.pair("Submission", f"Submission id {submission.pk}")
    document.pair("Signer account", f"{evidence.signer.email} (account id {evidence.signer_id})")
    document.pair("Typed name", evidence.typed_name)
    document.para("Drawn signature", size=9, bold=True, gap=0.3)
    if evidence.drawn_signature:
        document.signature_image(evidence.drawn_signature)
    else:
        document.para("None drawn: the signer confirmed the typed name as their signature.")
    document.pair("Signed at", _when(evidence.signed_at, context.time_zone))
    document.pair("IP address", evidence.ip_address or "not recorded")
    document.pair("User agent", evidence.user_agent or "not recorded")
    document.rule()
    document.pair("Answers fingerprint (SHA-256)", evidence.answers_sha256)
    document.pair(
        "How the fingerprint is made",
        f"SHA-256 of the canonical JSON ({CANONICAL_FORMAT}) of the document "
        '{"answers", "form_id", "format", "version_id"}: keys sorted, no whitespace, UTF-8, '
        "non-ASCII characters unescaped.",
    )
    document.pair(
        "Verification when this PDF was made",
        "Intact: the stored answers match the fingerprint."
        if is_intact
        else "Does not match: the answers changed after signing.",
    )
    return document.bytes()
