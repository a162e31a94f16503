"""The committed sample of real published documents (tests/data/real/docs, truth read by eye).

Two things are asserted for every document:
* nothing the reader is confident of is wrong where it matters: when every required field is
  confident (what ``import --register`` registers), all of them equal the truth;
* the fields it reads right today (listed below, checked against the truth in the manifest)
  stay right: a change that loses one fails here.

The documents are scans (OCR of two pages each), and one born-digital notice: slow, hence marked.
A number written by hand (the manifest's note says so) must be left to the clerk.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desk.docmeta import REQUIRED
from desk.ocr import tesseract_path
from desk.textfold import same_wording
from tests.support import windows

HERE = Path(__file__).resolve().parents[1] / "data" / "real" / "docs"
MANIFEST = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))["doc"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(tesseract_path() is None, reason=windows.reason("tesseract") if sys.platform == "win32"
                       else "Tesseract (tesseract-ocr-vie) is not installed"),
]

# Fields read right by the current reader, per document (truth: manifest.toml). The numbers and
# days of 981, 1039, 1114, 1139, 1160 and qngai-01 are written by hand: read by PP-OCR
# (desk/ocr.py), low-confidence suggestions for the clerk; 985's printed number, found
# "handwritten" by its ink, is read again the same way.
READ_RIGHT: dict[str, set[str]] = {
    "970-ttg.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "place", "subject",
                           "signer_name"},
    "981-ttg.signed.pdf": {"number", "issued_date", "notation", "issuer_name", "doc_type", "subject", "signer_name"},
    "985-ttg.signed.pdf": {"doc_type", "number", "issuer_name", "issued_date", "place", "signer_name", "notation"},
    "999-ttg.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "subject", "place"},
    "1009-ttg.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "subject", "place"},
    "1039-ttg.signed.pdf": {"number", "issued_date", "notation", "issuer_name", "doc_type", "signer_name", "subject"},
    "1053-ttg.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "subject", "place",
                            "signer_name"},
    "1114-ttg.signed.pdf": {"issued_date", "issuer_name", "doc_type", "signer_name", "subject", "notation"},
    "1139-ttg.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "subject", "place", "signer_name"},
    "1160-ttg.signed.pdf": {"issued_date", "signer_name", "subject", "issuer_name", "doc_type", "notation"},
    "qngai-01_ttr.signed.pdf": {"number", "issued_date", "signer_name", "issuer_name", "doc_type", "subject", "notation"},
    "qngai-05.signed.pdf": {"number", "notation", "issuer_name", "issued_date", "doc_type", "subject", "place",
                            "signer_name"},
}


def _truth(e: dict[str, Any]) -> dict[str, Any]:
    d = e["date"]
    return {"doc_type": e["type"], "issuer_name": e["issuer"], "number": e["number"],
            "notation": e["notation"], "issued_date": d if isinstance(d, date) else date.fromisoformat(d),
            "subject": e["subject"], "signer_name": e["signer"], "place": e["place"]}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return same_wording(a, b)  # as the reading bench compares (tone placement, final stop)
    return bool(a == b)


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_a_real_document_is_read(entry: dict[str, Any]) -> None:
    from desk.docread import prepare

    p = prepare(HERE / entry["file"])
    try:
        r = p.read
        truth = _truth(entry)
        assert r.kind == entry["kind"]
        assert p.pages >= 1 and p.ocr_error is None
        wrong_right = {n: (r.get(n), truth[n]) for n in READ_RIGHT[entry["file"]] if not _same(r.get(n), truth[n])}
        assert not wrong_right, wrong_right
        # The incoming stamp ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN …") is never the issuer.
        assert "CỔNG THÔNG TIN" not in (r.get("issuer_name") or "")
        if "handwritten" in entry.get("note", ""):
            # A number written by hand is never taken as read: the clerk reads it off the paper.
            assert "number" in r.unsure(REQUIRED), r.fields.get("number")
        if not r.unsure(REQUIRED):
            wrong = {n: (r.get(n), truth[n]) for n in REQUIRED if not _same(r.get(n), truth[n])}
            assert not wrong, f"registered automatically with wrong fields: {wrong}"
    finally:
        p.cleanup()
