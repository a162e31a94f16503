"""Register books (sổ đăng ký văn bản đến / đi) printed to DOCX with the columns of Decree 30 App. IV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk.errors import ValidationError
from desk.models import Assignment, Document, Person, RegisterEntry, Unit
from desk.reference import DOC_TYPES_BY_CODE, format_code, format_number
from desk.services.people import self_org

IN_COLUMNS = ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng",
              "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển",
              "Ký nhận", "Ghi chú")
OUT_COLUMNS = ("Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
               "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
               "Ngày chuyển", "Ký nhận", "Ghi chú")
# Relative column widths (cm) on landscape A4 (27.7 cm of text width).
IN_WIDTHS = (1.8, 1.4, 3.2, 2.6, 1.9, 7.0, 3.4, 1.9, 2.0, 2.5)
OUT_WIDTHS = (2.8, 2.0, 7.0, 2.8, 3.6, 2.6, 1.4, 1.9, 1.8, 1.8)


def _d(v: date | datetime | None) -> str:
    return v.strftime("%d/%m/%Y") if v else ""


@dataclass(frozen=True)
class BookRow:
    cells: tuple[str, ...]


def book_rows(session: Session, book: str, year: int, series: str = "normal") -> list[BookRow]:
    if book not in ("in", "out"):
        raise ValidationError("Sổ phải là 'in' (đến) hoặc 'out' (đi).", "Book must be 'in' or 'out'.")
    entries = session.scalars(
        select(RegisterEntry).where(RegisterEntry.book == book, RegisterEntry.year == year,
                                    RegisterEntry.series == series)
        .options(selectinload(RegisterEntry.document).selectinload(Document.recipients))
        .order_by(RegisterEntry.number)).all()
    doc_ids = [e.document_id for e in entries]
    receivers: dict[int, list[str]] = {}
    if book == "in" and doc_ids:
        q = (select(Assignment.document_id, Person.full_name, Unit.name, Assignment.assigned_at)
             .outerjoin(Person, Person.id == Assignment.person_id)
             .outerjoin(Unit, Unit.id == Assignment.unit_id)
             .where(Assignment.document_id.in_(doc_ids), Assignment.role == "chu_tri"))
        for did, pname, uname, _ in session.execute(q):
            receivers.setdefault(did, []).append(pname or uname or "")
    rows = []
    for e in entries:
        d = e.document
        tname = DOC_TYPES_BY_CODE[d.doc_type].name if d.doc_type in DOC_TYPES_BY_CODE else ""
        title = f"{tname}: {d.subject}" if d.doc_type != "CV" else d.subject
        if book == "in":
            rows.append(BookRow((
                _d(e.registered_at), format_number(e.number), d.issuer_name or "",
                format_code(d.number, d.notation), _d(d.issued_date), title,
                ", ".join(receivers.get(d.id, [])), "", "", e.note or "")))
        else:
            rows.append(BookRow((
                format_code(d.number, d.notation), _d(d.issued_date), title, d.signer_name or "",
                "; ".join(r.name for r in d.recipients), "Lưu: VT", str(d.copies or ""),
                _d(e.registered_at), "", e.note or "")))
    return rows


def write_docx(session: Session, book: str, year: int, out: Path, series: str = "normal") -> int:
    """Write the register book; returns the number of entries printed."""
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    org = self_org(session)
    rows = book_rows(session, book, year, series)
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(1.0)
    sec.top_margin = sec.bottom_margin = Cm(1.5)

    p = doc.add_paragraph()
    p.add_run(org.name.upper()).bold = True
    title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if book == "in" else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    if series == "secret":
        title += " (MẬT)"
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(title)
    r.bold, r.font.size = True, Pt(16)
    p = doc.add_paragraph(f"Năm: {year}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if rows:
        p = doc.add_paragraph(f"Từ số: {rows[0].cells[1 if book == 'in' else 0]}"
                              f"   đến số: {rows[-1].cells[1 if book == 'in' else 0]}")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    columns, widths = (IN_COLUMNS, IN_WIDTHS) if book == "in" else (OUT_COLUMNS, OUT_WIDTHS)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    hdr = table.rows[0]
    # Repeat the header row on every printed page.
    trPr = hdr._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)
    for i, name in enumerate(columns):
        cell = hdr.cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold, run.font.size = True, Pt(10)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    num = table.add_row()
    for i in range(len(columns)):
        num.cells[i].text = str(i + 1)
        num.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row.cells):
            cells[i].text = value
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Cm(w)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    doc.save(str(tmp))
    tmp.replace(out)
    return len(rows)
