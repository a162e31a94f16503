"""The reader's finding that a number (and day) was written by hand reaches the clerk: recorded at
import, carried by desk.services to `desk show` and the registration form (issue 13).

The finding itself (ink measured on a real scan) is desk.docread's, tested on real scans in
test_real_documents.py, test_cli.py and tests/gui; here the reading of a scan is given as the
reader returns it, to check every combination the services must carry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desk.docmeta import ReadResult
from desk.docpdf import PageSpec, render_to
from desk.docread import PreparedFile
from desk.layout import OCR, TEXT
from desk.models import Person
from desk.office import Office
from desk.services.documents import (
    get_document,
    handwritten_fields,
    import_prepared,
    unsure_fields,
    update_metadata,
)


def _read(number_by_hand: bool, date_source: str) -> ReadResult:
    r = ReadResult(kind="scan")
    r.set("doc_type", "QD", 0.92, OCR)
    r.set("issuer_name", "THỦ TƯỚNG CHÍNH PHỦ", 0.9, OCR)
    r.set("number", "384", 0.4 if number_by_hand else 0.9, OCR)
    r.set("notation", "QĐ-TTg", 0.85, OCR)
    r.set("issued_date", date(2024, 9, 14), 0.5 if number_by_hand and date_source == OCR else 0.9, date_source)
    r.set("subject", "Phê chuẩn kết quả miễn nhiệm", 0.9, OCR)
    r.handwritten_number = number_by_hand
    return r


@pytest.mark.parametrize(("by_hand", "date_source", "expected"), [
    (True, OCR, ["number", "issued_date"]),  # the day OCRed beside a handwritten number: same hand
    (True, TEXT, ["number"]),  # the day from the text layer (a signature appearance, say): printed
    (False, OCR, []),
])
def test_which_fields_are_named_handwritten(by_hand: bool, date_source: str, expected: list[str]) -> None:
    assert handwritten_fields(_read(by_hand, date_source)) == expected


def test_the_finding_is_recorded_at_import_and_cleared_once_the_clerk_checks(office: Office, staff,
                                                                             tmp_path: Path) -> None:
    pdf = render_to(PageSpec("", "THỦ TƯỚNG CHÍNH PHỦ", "384/QĐ-TTg", "Hà Nội", date(2024, 9, 14), "QUYẾT ĐỊNH",
                             "Phê chuẩn kết quả miễn nhiệm", ["Căn cứ Luật Tổ chức Chính phủ;"], "",
                             "THỦ TƯỚNG", "Phạm Minh Chính"), tmp_path / "qd.pdf")
    prepared = PreparedFile(pdf, "pdf", pdf, 1, _read(True, OCR), {0: "QUYẾT ĐỊNH"})
    with office.db.write() as s:
        who = s.get(Person, staff.clerk)
        doc = import_prepared(s, office.blobs, prepared, who)
        checks = {c.name: c for c in unsure_fields(s, doc)}
        assert checks["number"].handwritten and checks["issued_date"].handwritten
        assert not checks.get("subject") and "notation" not in checks
        update_metadata(s, doc, {"number": "981"}, who)
        checks = {c.name: c for c in unsure_fields(s, get_document(s, doc.id))}
        assert "number" not in checks and checks["issued_date"].handwritten
