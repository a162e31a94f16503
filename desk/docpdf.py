"""Render a simple Decree 30 style page to PDF (demo office, tests, paper-receipt stand-ins).

This is not the drafting path for real outgoing documents (that goes through Word
templates and LibreOffice); it draws the standard layout so that the PDFs in a
demo office look like what a clerk receives and carry a real text layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desk.resources import document_font, font_path

_BOLD_CANDIDATES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
    Path("C:/Windows/Fonts/timesbd.ttf"),
)


@dataclass
class PageSpec:
    issuer_parent: str
    issuer: str
    code: str  # "15/QĐ-UBND"
    place: str
    issued: date
    type_name: str  # "QUYẾT ĐỊNH" or "" for công văn
    subject: str
    body: list[str] = field(default_factory=list)
    competence: str = ""
    position: str = ""
    signer: str = ""
    recipients: list[str] = field(default_factory=list)


def render(spec: PageSpec) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, 20)
    # Times New Roman when the system has it (Windows), else the bundled Times-metric font.
    regular = document_font() or font_path()
    pdf.add_font("Serif", "", str(regular))
    bold = document_font(bold=True) or next((p for p in _BOLD_CANDIDATES if p.is_file()), regular)
    pdf.add_font("Serif", "B", str(bold))
    pdf.add_page()
    left_w, right_x = 70, 95
    y0 = pdf.get_y()
    pdf.set_font("Serif", "", 12)
    pdf.multi_cell(left_w, 5.5, spec.issuer_parent.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "B", 12)
    pdf.multi_cell(left_w, 5.5, spec.issuer.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "", 12)
    pdf.ln(2)
    pdf.multi_cell(left_w, 6, f"Số: {spec.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    if not spec.type_name:
        pdf.set_font("Serif", "", 11)
        pdf.multi_cell(left_w, 5, f"V/v {spec.subject}", align="C", new_x="LMARGIN", new_y="NEXT")
    y_left = pdf.get_y()
    pdf.set_xy(right_x, y0)
    pdf.set_font("Serif", "B", 12)
    pdf.multi_cell(100, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(right_x)
    pdf.multi_cell(100, 5.5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(right_x)
    pdf.set_font("Serif", "", 12)
    d = spec.issued
    pdf.ln(3)
    pdf.set_x(right_x)
    pdf.multi_cell(100, 6, f"{spec.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
                   align="C")
    pdf.set_y(max(y_left, pdf.get_y()) + 8)
    if spec.type_name:
        pdf.set_font("Serif", "B", 14)
        pdf.multi_cell(0, 7, spec.type_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "B", 13)
        pdf.multi_cell(0, 6.5, spec.subject, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    pdf.set_font("Serif", "", 13)
    for para in spec.body:
        pdf.multi_cell(0, 6.5, "      " + para, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(6)
    y_sign = pdf.get_y()
    if spec.recipients:
        pdf.set_font("Serif", "B", 11)
        pdf.multi_cell(80, 5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "", 10)
        for r in spec.recipients:
            pdf.multi_cell(80, 4.5, f"- {r};", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(right_x, y_sign)
    pdf.set_font("Serif", "B", 13)
    for line in filter(None, [spec.competence, spec.position.upper()]):
        pdf.set_x(right_x)
        pdf.multi_cell(100, 6.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(28)  # room for the signature image (App. I)
    pdf.set_x(right_x)
    pdf.multi_cell(100, 6.5, spec.signer, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_to(spec: PageSpec, path: Path) -> Path:
    path.write_bytes(render(spec))
    return path
