"""The filler on documents edited the way Word edits them (runs split, hyperlinks, headers)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from desk.drafting import fill_template
from desk.drafting.fill import document_text, open_docx, placeholders_in
from desk.errors import ValidationError


def _runs(p: object, *parts: tuple[str, bool]) -> None:
    for text, bold in parts:
        r = p.add_run(text)  # type: ignore[attr-defined]
        r.bold = bold


def test_placeholder_split_across_runs_keeps_first_runs_format(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    # What Word leaves after a user retyped part of the placeholder in bold.
    _runs(p, ("Số: {", False), ("{s", True), ("o}", False), ("}/{{ky_", False), ("hieu}} xong", True))
    src, out = tmp_path / "t.docx", tmp_path / "o.docx"
    d.save(str(src))
    assert fill_template(src, {"so": "15", "ky_hieu": "QĐ-UBND"}, out) == []
    para = docx.Document(str(out)).paragraphs[0]
    assert para.text == "Số: 15/QĐ-UBND xong"
    texts = [(r.text, bool(r.bold)) for r in para.runs if r.text]
    # The value takes the format of the run where its placeholder began.
    assert texts == [("Số: 15", False), ("/QĐ-UBND", False), (" xong", True)]


def test_placeholder_inside_hyperlink_and_header(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("Xem ")
    link = OxmlElement("w:hyperlink")
    for text in ("{{trich", "_yeu}}"):
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        r.append(t)
        link.append(r)
    p._p.append(link)
    d.sections[0].header.paragraphs[0].add_run("{{co_quan}}")
    src, out = tmp_path / "t.docx", tmp_path / "o.docx"
    d.save(str(src))
    fill_template(src, {"trich_yeu": "Về việc đê điều", "co_quan": "SỞ NỘI VỤ"}, out)
    text = document_text(out)
    assert "Xem Về việc đê điều" in text and "SỞ NỘI VỤ" in text
    assert placeholders_in(open_docx(out)) == []


def test_blocks_line_breaks_empty_and_unknown(tmp_path: Path) -> None:
    d = docx.Document()
    body = d.add_paragraph("{{noi_dung}}")
    body.paragraph_format.first_line_indent = docx.shared.Cm(1.27)
    d.add_paragraph("{{co_quan_chu_quan}}")
    d.add_paragraph("{{kinh_gui}}")
    d.add_paragraph("Giữ nguyên {{chua_biet}} ở đây")
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("{{quyen_han}}")
    src, out = tmp_path / "t.docx", tmp_path / "o.docx"
    d.save(str(src))
    left = fill_template(src, {
        "noi_dung": "Đoạn một.\nĐoạn hai\x0c có ký tự lạ.",
        "co_quan_chu_quan": "",
        "kinh_gui": "Kính gửi:\n- Sở A;\n- Sở B.",
        "quyen_han": "",
    }, out)
    assert left == ["chua_biet"]  # kept for the user to see, and reported
    result = docx.Document(str(out))
    texts = [p.text for p in result.paragraphs]
    assert texts[:2] == ["Đoạn một.", "Đoạn hai có ký tự lạ."]
    assert all(p.paragraph_format.first_line_indent == docx.shared.Cm(1.27)
               for p in result.paragraphs[:2])
    assert "" not in texts[:4]  # the empty parent line is gone, not left blank
    assert texts[2] == "Kính gửi:\n- Sở A;\n- Sở B."  # one paragraph, line breaks
    assert result.paragraphs[2]._p.xml.count("<w:br/>") == 2
    assert texts[3] == "Giữ nguyên {{chua_biet}} ở đây"
    assert len(result.tables[0].cell(0, 0).paragraphs) == 1  # a cell keeps its last paragraph


def test_bold_article_numbers(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("{{noi_dung}}")
    src, out = tmp_path / "t.docx", tmp_path / "o.docx"
    d.save(str(src))
    fill_template(src, {"noi_dung": "Điều 1. Phê duyệt.\nKhông phải điều 2."}, out)
    p1, p2 = docx.Document(str(out)).paragraphs[:2]
    assert [(r.text, bool(r.bold)) for r in p1.runs] == [("Điều 1.", True), (" Phê duyệt.", False)]
    assert all(not r.bold for r in p2.runs)


def test_bad_templates_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as missing:
        fill_template(tmp_path / "nope.docx", {}, tmp_path / "o.docx")
    assert missing.value.code == "no_file"
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError) as bad:
        fill_template(junk, {}, tmp_path / "o.docx")
    assert bad.value.code == "bad_docx" and "junk.docx" in bad.value.vi
    assert not (tmp_path / "o.docx").exists()
