"""Reading a client CSV: decoding, splitting into lines and rows, guessing the columns and
parsing dates. Pure functions, no database (checking rows against existing clients is not)."""

from __future__ import annotations

import datetime

import pytest

from tenant_apps.clients.errors import ImportFileError
from tenant_apps.clients.importing import (
    MAX_BYTES,
    csv_decode,
    csv_parse,
    date_parse,
    mapping_guess,
)


def test_the_columns_are_guessed_from_common_headers() -> None:
    headers = [
        "Client ID",
        "first_name",
        "Surname",
        "E-mail",
        "Date of Birth",
        "Mobile",
        "Nickname",
    ]
    assert mapping_guess(headers) == {
        "first_name": 1,
        "last_name": 2,
        "preferred_name": 6,
        "pronouns": None,
        "email": 3,
        "phone": 5,
        "date_of_birth": 4,
    }


def test_line_numbers_count_the_files_own_lines() -> None:
    table = csv_parse('h1,h2\n\na,"b\nc"\nd,e\n')
    assert [line for line, _ in table.rows] == [3, 5]


def test_a_windows_1252_export_is_read() -> None:
    assert csv_decode("First,Last\nRené,Müller\n".encode("cp1252")) == "First,Last\nRené,Müller\n"
    assert csv_decode("\ufeffFirst,Last\n".encode()) == "First,Last\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"x" * (MAX_BYTES + 1), "larger than 2 MB"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"First\x00,Last\n", "not a text CSV"),
    ],
    ids=["too-big", "xlsx", "binary"],
)
def test_files_that_are_not_a_csv_are_explained(raw: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        csv_decode(raw)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("\n \n", "The file is empty."),
        ("First,Last\n", "a header line but no clients"),
    ],
    ids=["empty", "blank-lines", "header-only"],
)
def test_a_file_without_clients_is_refused(text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        csv_parse(text)


def test_a_semicolon_separated_export_is_read() -> None:
    # European spreadsheet exports separate with ";" (the decimal comma takes ",").
    table = csv_parse("First Name;Last;Email Address\r\nMaya;Okafor;maya@example.org\r\n")
    assert table.headers == ["First Name", "Last", "Email Address"]
    assert table.rows == [(2, ["Maya", "Okafor", "maya@example.org"])]


@pytest.mark.parametrize(
    ("text", "headers"),
    [
        ("a,b;c\n1,2;3\n", ["a", "b;c"]),
        ("a\tb\tc\n1\t2\t3\n", ["a", "b", "c"]),
        ("a;b,c;d\n1;2,3;4\n", ["a", "b,c", "d"]),
        ("email\nx@example.org\n", ["email"]),
        ('"Name, first";"Name, last"\nA;B\n', ["Name, first", "Name, last"]),
    ],
)
def test_the_delimiter_is_the_one_the_header_uses_most(text: str, headers: list[str]) -> None:
    assert csv_parse(text).headers == headers


def test_the_header_is_trimmed_and_blank_lines_are_skipped() -> None:
    table = csv_parse(" First , Last \n\nJo,Lee\n")
    assert table.headers == ["First", "Last"]
    assert table.rows == [(3, ["Jo", "Lee"])]


def test_one_column_is_never_guessed_twice() -> None:
    mapping = mapping_guess(["Name", "Last", "First"])
    assert mapping["first_name"] == 2
    assert mapping["last_name"] == 1
    assert mapping["email"] is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-04-30", datetime.date(1990, 4, 30)),
        ("04/30/1990", datetime.date(1990, 4, 30)),
        (" 1990-04-30 ", datetime.date(1990, 4, 30)),
        ("", None),
    ],
)
def test_dates_are_iso_or_month_first(value: str, expected: datetime.date | None) -> None:
    assert date_parse(value) == expected


@pytest.mark.parametrize("value", ["30/04/1990", "1990-02-30", "April 30"])
def test_other_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=value):
        date_parse(value)
