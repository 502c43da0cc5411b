"""The clamd scan hook against a tiny fake clamd (an outside service) on a unix and a TCP socket:
it speaks INSTREAM and answers OK, or FOUND when the stream holds the EICAR marker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from storage.keys import practice_object_key
from storage.presign import upload_form
from storage.scan import ScanFailed, ScanOutcome, clamd_instream, object_scan
from tests.cast import PracticeCast
from tests.support.clamd import EICAR, FakeClamd
from tests.support.documents import PDF_BYTES, post_to_s3


def test_clean_and_found_over_a_unix_socket(clamd_unix: str) -> None:
    assert clamd_instream([b"hello ", b"world"], address=clamd_unix) == ScanOutcome.CLEAN
    assert FakeClamd.received[-1] == b"hello world"
    assert clamd_instream([b"x" * 70000, EICAR], address=clamd_unix) == ScanOutcome.INFECTED


def test_clean_and_found_over_tcp(clamd_tcp: str) -> None:
    assert clamd_instream([b"fine"], address=clamd_tcp) == ScanOutcome.CLEAN
    assert clamd_instream([EICAR], address=f"tcp://{clamd_tcp}") == ScanOutcome.INFECTED


def test_unreachable_clamd_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(ScanFailed):
        clamd_instream([b"x"], address=f"unix:{tmp_path / 'nothing.sock'}")


@pytest.mark.django_db
def test_object_scan_streams_the_object_or_reports_not_scanned(
    in_practice_a: PracticeCast, clamd_unix: str
) -> None:
    key = practice_object_key(area="tests")
    post_to_s3(upload_form(key=key, max_bytes=10_000).as_json(), PDF_BYTES + EICAR)
    with override_settings(PORTICO_CLAMD=""):
        assert object_scan(key) == ScanOutcome.NOT_SCANNED
    with override_settings(PORTICO_CLAMD=clamd_unix):
        assert object_scan(key) == ScanOutcome.INFECTED
    assert FakeClamd.received[-1] == PDF_BYTES + EICAR
