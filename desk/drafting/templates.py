"""The Word templates of outgoing documents, laid out as Decree 30/2020 App. I asks.

``python -m desk.drafting.templates [FOLDER]`` writes one ``.docx`` per template
into ``resources/templates/`` (or FOLDER). The files are shipped; an office may
edit them in Word, as long as the ``{{placeholders}}`` stay (see
``resources/templates/README.md`` for the list).

Layout (App. I, Part I, §II and §IV; App. III samples 1.2, 1.4, 1.5, 1.7):
* A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman;
  page numbers centred in the top margin, none on the first page.
* Header: a borderless 2 × 2 table. Row 1: issuing body (parent upper case 12,
  body upper case bold 12, a short rule) | Quốc hiệu (upper case bold 12),
  Tiêu ngữ (bold 13) and a rule as long as the Tiêu ngữ. Row 2 puts "Số:" and the
  place/date line on the same line, as App. I §II.4c requires.
* Type name (bold 14) and trích yếu (bold 14) centred with a short rule; for a
  công văn the "V/v" trích yếu (12) sits under the number instead.
* Body 14 pt, justified, first line indented 1.27 cm, 6 pt between paragraphs.
* Footer table: "Nơi nhận:" (bold italic 12) and the list (11) on the left, on the
  same line as the signer's competence and position (upper case bold 14) on the
  right; room for the signature image; the signer's name (bold 14).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from desk.errors import ValidationError
from desk.resources import resources_dir

FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.5  # A4 width 21 cm minus 3 cm left and 1.5 cm right
LEFT_COL_CM = 6.8
RIGHT_COL_CM = TEXT_WIDTH_CM - LEFT_COL_CM
SIGN_LEFT_CM = 7.3
SIGN_RIGHT_CM = TEXT_WIDTH_CM - SIGN_LEFT_CM
# Width of "Độc lập - Tự do - Hạnh phúc" in Times New Roman bold 13 pt (measured on the
# metric-compatible Liberation Serif Bold): App. I wants the rule under it as long as the text.
MOTTO_WIDTH_PT = 159.1
# Width of "Kính gửi:" at 14 pt less half a dash: the dashes of the list fall under the colon.
KINH_GUI_CM = 1.75
# Room left for the leader's signature image between position and name (App. I §II.7d).
SIGNATURE_ROOM_PT = 78


@dataclass(frozen=True)
class TemplateSpec:
    code: str  # file stem and CLI name: "cong-van"
    doc_type: str  # desk.reference code
    title: str  # Vietnamese name of the template
    type_name: str | None  # printed type name; None for công văn
    kinh_gui: bool = False  # "Kính gửi" block (công văn; tờ trình, báo cáo to a higher level)
    decision: bool = False  # Quyết định: authority line, căn cứ, "QUYẾT ĐỊNH:"
    default_body: tuple[str, ...] = ()
    first_recipients: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.code}.docx"


TEMPLATES: tuple[TemplateSpec, ...] = (
    TemplateSpec("cong-van", "CV", "Công văn", None, kinh_gui=True,
                 default_body=("Nội dung công văn …", "Đề nghị … ./."),
                 first_recipients=("Như trên",)),
    TemplateSpec("quyet-dinh", "QD", "Quyết định", "QUYẾT ĐỊNH", decision=True,
                 default_body=("Điều 1. …", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                               "Điều 3. … chịu trách nhiệm thi hành Quyết định này./."),
                 first_recipients=("Như Điều 3",)),
    TemplateSpec("to-trinh", "TTR", "Tờ trình", "TỜ TRÌNH", kinh_gui=True,
                 default_body=("Căn cứ …", "… kính trình … xem xét, phê duyệt./.")),
    TemplateSpec("bao-cao", "BC", "Báo cáo", "BÁO CÁO", kinh_gui=True,
                 default_body=("I. TÌNH HÌNH …", "II. KẾT QUẢ …", "III. KIẾN NGHỊ, ĐỀ XUẤT …",
                               "Trên đây là báo cáo … ./.")),
    TemplateSpec("ke-hoach", "KH", "Kế hoạch", "KẾ HOẠCH",
                 default_body=("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN ./.")),
    TemplateSpec("thong-bao", "TB", "Thông báo", "THÔNG BÁO",
                 default_body=("Nội dung thông báo … ./.",)),
    TemplateSpec("giay-moi", "GM", "Giấy mời", "GIẤY MỜI",
                 default_body=("… trân trọng kính mời: …", "Tới dự …", "Chủ trì: …",
                               "Thời gian: …", "Địa điểm: …", "… ./.")),
)
TEMPLATES_BY_CODE = {t.code: t for t in TEMPLATES}


def template_spec(code: str) -> TemplateSpec:
    try:
        return TEMPLATES_BY_CODE[code]
    except KeyError:
        known = ", ".join(TEMPLATES_BY_CODE)
        raise ValidationError(f"Không có mẫu văn bản «{code}». Các mẫu có: {known}.",
                              f"No template {code!r}. Templates: {known}.",
                              code="no_template") from None


def templates_dir() -> Path:
    return resources_dir() / "templates"


def template_path(code: str, folder: Path | None = None) -> Path:
    """The template file for ``code``: an office's own copy in ``folder`` first, else the shipped one."""
    spec = template_spec(code)
    if folder is not None and (folder / spec.filename).is_file():
        return folder / spec.filename
    return templates_dir() / spec.filename


# ---- low-level formatting helpers -------------------------------------------------------

def _set_run_font(rpr_parent: object, size: float | None = None) -> None:
    """Times New Roman on every script slot, so Vietnamese never falls back to another font."""
    rpr = rpr_parent.find(qn("w:rPr"))  # type: ignore[attr-defined]
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        if rpr_parent.tag == qn("w:r"):  # type: ignore[attr-defined]
            rpr_parent.insert(0, rpr)  # type: ignore[attr-defined]
        else:  # a paragraph's or a style's properties: rPr comes last
            rpr_parent.append(rpr)  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def _para(container: Document | _Cell, text: str = "", *, size: float = 14, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
          before: float = 0, after: float = 0, first_indent_cm: float | None = None,
          keep_next: bool = False, first: bool = False) -> Paragraph:
    p = container.paragraphs[0] if first else container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if first_indent_cm is not None:
        fmt.first_line_indent = Cm(first_indent_cm)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        run.font.size = Pt(size)
        _set_run_font(run._r, size)
    # The paragraph mark carries the size too, so an empty line has the right height.
    _set_run_font(p._p.get_or_add_pPr(), size)
    return p


def _rule(container: Document | _Cell, width_pt: float, column_pt: float, *,
          after: float = 0) -> Paragraph:
    """A short solid line: the bottom border of a 1-pt high empty paragraph, centred by indents."""
    # 3 pt above keeps the line clear of the descenders of the text it underlines.
    p = _para(container, size=1, before=3, after=after)
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    side = max(0.0, (column_pt - width_pt) / 2)
    fmt.left_indent = Pt(side)
    fmt.right_indent = Pt(side)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    # pBdr must come before spacing/ind/jc in CT_PPr's sequence.
    anchor = next((c for c in ppr if c.tag in {qn("w:spacing"), qn("w:ind"), qn("w:jc"),
                                                 qn("w:rPr")}), None)
    if anchor is not None:
        anchor.addprevious(bdr)
    else:
        ppr.append(bdr)
    return p


def _borderless(table: object, widths_cm: tuple[float, float]) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER  # type: ignore[attr-defined]
    table.autofit = False  # type: ignore[attr-defined]
    tblpr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "57")  # twips: 1 mm
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)
    for col, w in zip(table.columns, widths_cm, strict=True):  # type: ignore[attr-defined]
        col.width = Cm(w)


def _page_number_header(doc: Document) -> None:
    """App. I §I.7: page numbers centred in the top margin, 13 pt, not on the first page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _set_run_font(run._r, 13)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    inner = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    inner.append(t)
    fld.append(inner)
    p._p.append(fld)
    _set_run_font(inner, 13)


def _setup(doc: Document) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_run_font(normal.element, 14)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    core = doc.core_properties
    core.author = "Desk"
    core.title = ""
    core.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP, Phụ lục I"


# ---- the parts of a document ------------------------------------------------------------

_CENTER = WD_ALIGN_PARAGRAPH.CENTER
_JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
_LEFT = WD_ALIGN_PARAGRAPH.LEFT


def _header(doc: Document, spec: TemplateSpec) -> None:
    table = doc.add_table(rows=2, cols=2)
    _borderless(table, (LEFT_COL_CM, RIGHT_COL_CM))
    left_pt, right_pt = LEFT_COL_CM * 72 / 2.54 - 6, RIGHT_COL_CM * 72 / 2.54 - 6
    org, nation = table.cell(0, 0), table.cell(0, 1)
    _para(org, "{{co_quan_chu_quan}}", size=12, first=True)
    _para(org, "{{co_quan}}", size=12, bold=True)
    _rule(org, 72, left_pt)
    _para(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    _para(nation, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(nation, MOTTO_WIDTH_PT + 2, right_pt)
    number, date = table.cell(1, 0), table.cell(1, 1)
    _para(number, "Số: {{so}}/{{ky_hieu}}", size=13, before=6, first=True)
    if spec.type_name is None:  # công văn: trích yếu under the number, 6 pt apart (App. I §II.5b)
        _para(number, "V/v {{trich_yeu}}", size=12, before=6)
    _para(date, "{{dia_danh}}, ngày {{ngay}} tháng {{thang}} năm {{nam}}", size=14, italic=True,
          before=6, first=True)


def _title(doc: Document) -> None:
    _para(doc, "{{ten_loai}}", size=14, bold=True, before=18, keep_next=True)
    _para(doc, "{{trich_yeu}}", size=14, bold=True, keep_next=True)
    _rule(doc, 120, TEXT_WIDTH_CM * 72 / 2.54, after=12)


def _kinh_gui(doc: Document, *, before: float) -> None:
    # "Kính gửi:" then, for several recipients, one "- …;" line each aligned under the
    # colon (App. I §II.9d): a hanging indent as wide as "Kính gửi: " does that.
    p = _para(doc, "{{kinh_gui}}", size=14, align=_LEFT, before=before, after=12)
    p.paragraph_format.left_indent = Cm(2.0 + KINH_GUI_CM)
    p.paragraph_format.first_line_indent = Cm(-KINH_GUI_CM)


def _body(doc: Document, spec: TemplateSpec) -> None:
    if spec.decision:
        _para(doc, "{{tham_quyen}}", size=14, bold=True, after=12)
        _para(doc, "{{can_cu}}", size=14, italic=True, align=_JUSTIFY, after=6,
              first_indent_cm=1.27)
        _para(doc, "QUYẾT ĐỊNH:", size=14, bold=True, before=6, after=12)
    _para(doc, "{{noi_dung}}", size=14, align=_JUSTIFY, after=6, first_indent_cm=1.27)


def _signature(doc: Document) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table, (SIGN_LEFT_CM, SIGN_RIGHT_CM))
    left, right = table.cell(0, 0), table.cell(0, 1)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=_LEFT, first=True)
    _para(left, "{{noi_nhan}}", size=11, align=_LEFT)
    _para(left, "- Lưu: VT, {{luu}}.", size=11, align=_LEFT)
    _para(right, "{{quyen_han}}", size=14, bold=True, first=True)
    _para(right, "{{chuc_vu}}", size=14, bold=True)
    _para(right, "{{nguoi_ky}}", size=14, bold=True, before=SIGNATURE_ROOM_PT)
    # The signature block stays together and with the last body lines.
    for p in left.paragraphs + right.paragraphs:
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.keep_together = True
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def build(spec: TemplateSpec) -> Document:
    doc = new_document()
    _setup(doc)
    _page_number_header(doc)
    _header(doc, spec)
    if spec.type_name is not None:
        _title(doc)
        if spec.kinh_gui:
            _kinh_gui(doc, before=0)
    else:
        _kinh_gui(doc, before=18)
    _body(doc, spec)
    spacer = _para(doc, size=6, after=0)
    spacer.paragraph_format.keep_with_next = True
    _signature(doc)
    return doc


def write_all(folder: Path | None = None) -> list[Path]:
    folder = folder or templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TEMPLATES:
        path = folder / spec.filename
        build(spec).save(str(path))
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    for path in write_all(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
