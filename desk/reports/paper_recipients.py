"""The printable list of paper recipients (nơi nhận bản giấy) of an outgoing document."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from desk.errors import NotFoundError
from desk.models import Document
from desk.reference import format_code
from desk.services.people import self_org


def write_docx(session: Session, doc_id: int, out: Path) -> int:
    """A one-page list to print and hand to the dispatch clerk; returns the number of recipients."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không tìm thấy văn bản #{doc_id}.", f"Document #{doc_id} not found.")
    paper = [r for r in doc.recipients if r.channel == "paper"]
    org = self_org(session)
    d = Docx()
    style = d.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    d.add_paragraph().add_run(org.name.upper()).bold = True
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("DANH SÁCH NƠI NHẬN BẢN GIẤY")
    r.bold, r.font.size = True, Pt(14)
    code = format_code(doc.number, doc.notation)
    issued = doc.issued_date.strftime("%d/%m/%Y") if doc.issued_date else ""
    d.add_paragraph(f"Văn bản số {code or '(chưa cấp số)'} ngày {issued}: {doc.subject}")
    table = d.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("STT", "Nơi nhận", "Ngày chuyển", "Ký nhận"),
                          strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for i, rec in enumerate(paper, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(i), rec.name
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    d.save(str(tmp))
    tmp.replace(out)
    return len(paper)
