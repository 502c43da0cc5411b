"""Reading a CSV of clients exported from another system: columns guessed from the header,
every row checked with the CSV's own line numbers (the header is line 1), duplicate emails found
within the file and against existing clients. Nothing here writes: `client_import` does."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from tenant_apps.clients.errors import ImportFileError
from tenant_apps.clients.selectors import client_emails_in_use
from tenant_apps.clients.services import ClientData, client_data_errors, duplicate_email_message

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# In order of preference when a header line uses as many of one as of another.
CSV_DELIMITERS = (",", ";", "\t")

# The client fields a column can fill, with their labels, in the order the mapping shows them.
IMPORT_FIELDS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "email": "Email",
    "phone": "Phone",
    "date_of_birth": "Date of birth",
}
REQUIRED_FIELDS = ("first_name", "last_name")

# Header spellings seen in other systems' exports, compared lower-case without punctuation.
_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "fname", "forename", "clientfirstname"),
    "last_name": ("lastname", "last", "surname", "familyname", "lname", "clientlastname"),
    "preferred_name": ("preferredname", "nickname", "goesby", "preferredfirstname"),
    "pronouns": ("pronouns", "pronoun", "preferredpronouns"),
    "email": ("email", "emailaddress", "clientemail", "primaryemail"),
    "phone": (
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "cellphone",
        "cell",
        "telephone",
        "homephone",
        "primaryphone",
    ),
    "date_of_birth": ("dob", "dateofbirth", "birthdate", "birthday"),
}


@dataclass(frozen=True)
class CsvTable:
    headers: list[str]
    # (line number of the row's first line, cells)
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass
class ImportCheck:
    ready: list[ClientData] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_importable(self) -> bool:
        return bool(self.ready) and not self.problems


def csv_decode(raw: bytes) -> str:
    """The uploaded bytes as text. Raises ImportFileError when too big or not text."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            "The file is larger than 2 MB. Split it into smaller files and import each one."
        )
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This looks like an Excel workbook. Save it as “CSV UTF-8” and upload that file."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError("The file is not a text CSV. Export it again as CSV (UTF-8).")


def csv_delimiter(text: str) -> str:
    """The separator the header line of `text` uses most, outside quotes: ",", ";" (European
    spreadsheet exports, where the comma is the decimal sign) or a tab; "," when it has none.
    A count over the header is predictable where `csv.Sniffer` guesses from character
    frequencies and can pick a letter on a short file."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    is_quoted = False
    for char in header:
        if char == '"':
            is_quoted = not is_quoted
        elif not is_quoted and char in counts:
            counts[char] += 1
    return max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])


def csv_parse(text: str) -> CsvTable:
    """Split `text` into a header and rows, skipping blank lines, with the separator its header
    uses (`csv_delimiter`). Raises ImportFileError."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if headers is None:
                    headers = [cell.strip() for cell in cells]
                else:
                    rows.append((line, cells))
                    if len(rows) > MAX_ROWS:
                        raise ImportFileError(
                            f"The file has more than {MAX_ROWS:,} clients. Split it into smaller "
                            "files and import each one."
                        )
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            f"Line {reader.line_num} cannot be read as CSV ({error}). Export the file again."
        ) from error
    if headers is None:
        raise ImportFileError("The file is empty.")
    if not rows:
        raise ImportFileError("The file has a header line but no clients.")
    return CsvTable(headers=headers, rows=rows)


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def mapping_guess(headers: list[str]) -> dict[str, int | None]:
    """Client field → column index, from the header's wording; None where nothing fits."""
    keys = [_header_key(header) for header in headers]
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    for name, synonyms in _HEADER_SYNONYMS.items():
        mapping[name] = None
        for synonym in synonyms:
            index = next(
                (i for i, key in enumerate(keys) if key == synonym and i not in taken), None
            )
            if index is not None:
                mapping[name] = index
                taken.add(index)
                break
    return mapping


def date_parse(value: str) -> datetime.date | None:
    """YYYY-MM-DD or MM/DD/YYYY (month first, as US systems export); ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def rows_check(table: CsvTable, mapping: dict[str, int | None]) -> ImportCheck:
    """Every row as ClientData, or the problems that stop the import, by line number."""
    check = ImportCheck()
    first_line_of_email: dict[str, int] = {}
    lines_with_email: list[tuple[int, str]] = []
    for line, cells in table.rows:

        def cell(name: str, cells: list[str] = cells) -> str:
            index = mapping.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        problems: list[str] = []
        date_of_birth = None
        try:
            date_of_birth = date_parse(cell("date_of_birth"))
        except ValueError:
            problems.append(
                f"Date of birth “{cell('date_of_birth')}” is not a date in the form YYYY-MM-DD "
                "or MM/DD/YYYY."
            )
        data = ClientData(
            first_name=cell("first_name"),
            last_name=cell("last_name"),
            preferred_name=cell("preferred_name"),
            pronouns=cell("pronouns"),
            email=cell("email"),
            phone=cell("phone"),
            date_of_birth=date_of_birth,
        ).clean()
        for messages in client_data_errors(data).values():
            problems.extend(messages)
        if data.email:
            first = first_line_of_email.setdefault(data.email, line)
            if first != line:
                problems.append(f"The email {data.email} is also on line {first}.")
            else:
                lines_with_email.append((line, data.email))
        check.problems.extend(RowProblem(line=line, message=message) for message in problems)
        if not problems:
            check.ready.append(data)
    in_use = client_emails_in_use(emails=[email for _, email in lines_with_email])
    check.problems.extend(
        RowProblem(line=line, message=duplicate_email_message(email))
        for line, email in lines_with_email
        if email in in_use
    )
    check.problems.sort(key=lambda problem: problem.line)
    if check.problems:
        check.ready = []
    return check
