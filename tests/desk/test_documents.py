from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as Docx

from desk.docpdf import PageSpec, render_to
from desk.errors import ValidationError
from desk.models import Person
from desk.office import Office
from desk.reports.register_book import IN_COLUMNS, OUT_COLUMNS, write_docx
from desk.services import documents as docs
from desk.services import registers

from .helpers import get, new_incoming


def _pdf(tmp_path: Path, name: str = "qd.pdf") -> Path:
    return render_to(PageSpec(
        "UBND TỈNH QUẢNG NINH", "SỞ NỘI VỤ", "507 /QĐ-SNV", "Hạ Long", date(2026, 11, 5), "Quyết định",
        "Về việc phê duyệt kế hoạch tuyển dụng công chức năm 2026",
        ["Căn cứ Luật Cán bộ, công chức;", "Xét đề nghị của Trưởng phòng Tổ chức cán bộ."],
        "KT. GIÁM ĐỐC", "Phó Giám đốc", "Trần Văn Đức", ["Như Điều 3", "Lưu: VT"]), tmp_path / name)


def test_import_prefills_fields_from_the_pdf_text(office: Office, staff, tmp_path: Path) -> None:
    pdf = _pdf(tmp_path)
    with office.db.write() as s:
        doc = docs.import_pdf(s, office.blobs, pdf, s.get(Person, staff.clerk))
        assert (doc.number, doc.notation, doc.doc_type) == ("507", "QĐ-SNV", "QD")
        assert doc.issued_date == date(2026, 11, 5)
        assert doc.subject == "Về việc phê duyệt kế hoạch tuyển dụng công chức năm 2026"
        assert doc.page_count == 1
        assert doc.state == "received"
        sha = doc.attachments[0].blob_sha256
    assert office.blobs.read_bytes(sha) == pdf.read_bytes()
    assert [h.subject for h in office.search.search("can bo cong chuc")] == [doc.subject]


def test_a_broken_pdf_is_refused_and_nothing_is_stored(office: Office, staff, tmp_path: Path) -> None:
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    with office.db.write() as s, pytest.raises(ValidationError) as e:
        docs.import_pdf(s, office.blobs, bad, s.get(Person, staff.clerk))
    assert "không phải PDF hợp lệ" in str(e.value)
    with office.db.read() as s:
        assert office.search.count("hong") == 0
    assert list(office.blobs.iter_stored()) == []


def test_duplicates_by_document_id_or_by_code_and_issuer(office: Office, staff) -> None:
    a = new_incoming(office, staff.clerk, edxml_document_id="000.00.00.H49,2026/11/02,123/UBND-NN")
    with office.db.read() as s:
        same_id = docs.find_duplicates(s, docs.DocumentInput(
            doc_type="CV", subject="x", edxml_document_id="000.00.00.H49,2026/11/02,123/UBND-NN"))
        same_code = docs.find_duplicates(s, docs.DocumentInput(
            doc_type="CV", subject="x", number="123", notation="UBND - NN", issuer_code="000.00.00.H49"))
        other_issuer = docs.find_duplicates(s, docs.DocumentInput(
            doc_type="CV", subject="x", number="123", notation="UBND-NN", issuer_code="000.00.02.H49"))
    assert [(d.document_id, d.reason) for d in same_id] == [(a, "document_id")]
    assert [(d.document_id, d.reason) for d in same_code] == [(a, "code")]
    assert other_issuer == []


@pytest.mark.parametrize("field,value,fragment", [
    ("subject", "x" * 501, "Trích yếu dài 501 ký tự, tối đa 500"),
    ("number", "1" * 12, "Số văn bản"),
    ("notation", "N" * 31, "Ký hiệu"),
    ("issuer_code", "H49", "QCVN 102"),
    ("doc_type", "XYZ", "Loại văn bản không hợp lệ"),
    ("subject", "   ", "Trích yếu không được để trống"),
])
def test_decree_30_field_rules(office: Office, staff, field: str, value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as e:
        new_incoming(office, staff.clerk, **{field: value})
    assert fragment in str(e.value)


def test_register_books_have_the_app_iv_columns(office: Office, staff, tmp_path: Path) -> None:
    ids = [new_incoming(office, staff.clerk, number=str(n), subject=f"Về việc thứ {n}") for n in (5, 6)]
    with office.db.write() as s:
        for i in ids:
            registers.register_incoming(s, get(s, i), s.get(Person, staff.clerk))
    out = tmp_path / "so-den.docx"
    with office.db.read() as s:
        assert write_docx(s, "in", registers.now().year, out) == 2
    table = Docx(str(out)).tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == IN_COLUMNS
    assert [table.rows[2].cells[1].text, table.rows[3].cells[1].text] == ["01", "02"]
    assert table.rows[2].cells[3].text == "5/UBND-NN"
    assert len(OUT_COLUMNS) == 10


def test_outgoing_number_is_issued_once(office: Office, staff) -> None:
    with office.db.write() as s:
        d = docs.create_outgoing(s, office.blobs, docs.DocumentInput(doc_type="QD", subject="Quyết định khen thưởng",
                                                                     notation="QĐ-UBND"), s.get(Person, staff.clerk))
        r1 = registers.issue_outgoing_number(s, d, s.get(Person, staff.clerk))
        r2 = registers.issue_outgoing_number(s, d, s.get(Person, staff.clerk))
        assert r1 == r2 and d.number == "01" and d.issued_date is not None


def test_paper_recipients_list(office: Office, staff, tmp_path: Path) -> None:
    from desk.reports.paper_recipients import write_docx as write_paper

    with office.db.write() as s:
        d = docs.create_outgoing(s, office.blobs, docs.DocumentInput(
            doc_type="GM", subject="Giấy mời họp giao ban", notation="GM-UBND", recipients=[
                docs.RecipientInput("Ủy ban nhân dân xã Đông Ngũ", "000.01.12.H49"),
                docs.RecipientInput("Công an huyện", channel="paper"),
                docs.RecipientInput("Ban Chỉ huy Quân sự huyện", channel="paper")]),
            s.get(Person, staff.clerk))
        doc_id = d.id
    out = tmp_path / "noi-nhan.docx"
    with office.db.read() as s:
        assert write_paper(s, doc_id, out) == 2
    rows = Docx(str(out)).tables[0].rows
    assert [r.cells[1].text for r in rows[1:]] == ["Công an huyện", "Ban Chỉ huy Quân sự huyện"]


def test_a_scanned_pdf_is_read_by_ocr(office: Office, staff, tmp_path: Path) -> None:
    """An image-only PDF (a scan) gets its fields from Tesseract's Vietnamese model."""
    import subprocess

    from PIL import Image

    src = _pdf(tmp_path, "nguon.pdf")
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(src), str(tmp_path / "scan")],
                   check=True)
    scan = tmp_path / "scan.pdf"
    Image.open(tmp_path / "scan.png").convert("L").save(scan, resolution=200)
    with office.db.write() as s:
        doc = docs.import_pdf(s, office.blobs, scan, s.get(Person, staff.clerk))
        assert (doc.number, doc.notation, doc.doc_type) == ("507", "QĐ-SNV", "QD")
        assert doc.issued_date == date(2026, 11, 5) and doc.place == "Hạ Long"
        assert doc.issuer_name == "SỞ NỘI VỤ"
        assert doc.subject == "Về việc phê duyệt kế hoạch tuyển dụng công chức năm 2026"
    # The OCR text is searchable, diacritics folded.
    assert office.search.count("truong phong to chuc can bo") == 1


def test_without_tesseract_the_import_goes_on_without_text(office: Office, staff, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    scan = tmp_path / "blank-scan.pdf"
    Image.new("L", (1654, 2339), 255).save(scan, resolution=200)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on PATH
    with office.db.write() as s:
        doc = docs.import_pdf(s, office.blobs, scan, s.get(Person, staff.clerk))
        assert doc.subject == "blank-scan" and doc.page_count == 1
