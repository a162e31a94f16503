"""Each template, filled through create_draft and converted by the real LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfReader

from desk.convert import pdf_fonts
from desk.drafting import TEMPLATES, locate_blanks
from desk.drafting.fill import PLACEHOLDER, document_text, open_docx, placeholders_in
from desk.drafting.templates import templates_dir, write_all
from desk.drafting.values import PLACEHOLDERS
from desk.reference import doc_type
from tests.drafting.conftest import RECIPIENTS, SUBJECT, Converted

CODES = [t.code for t in TEMPLATES]
SPECS = {t.code: t for t in TEMPLATES}


def test_shipped_templates_are_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{c}.docx" for c in CODES)
    for path in written:
        shipped = templates_dir() / path.name
        with zipfile.ZipFile(path) as fresh, zipfile.ZipFile(shipped) as old:
            assert fresh.read("word/document.xml") == old.read("word/document.xml"), (
                f"{path.name} is stale: run python -m desk.drafting.templates")


@pytest.mark.parametrize("code", CODES)
def test_template_placeholders_are_documented(code: str) -> None:
    names = placeholders_in(open_docx(templates_dir() / f"{code}.docx"))
    assert set(names) <= set(PLACEHOLDERS), set(names) - set(PLACEHOLDERS)
    for required in ("co_quan", "so", "ky_hieu", "dia_danh", "ngay", "thang", "nam",
                     "trich_yeu", "noi_dung", "noi_nhan", "chuc_vu", "nguoi_ky"):
        assert required in names
    assert ("ten_loai" in names) == (code != "cong-van")


@pytest.mark.parametrize("code", CODES)
def test_template_page_setup_and_fonts(code: str) -> None:
    d = docx.Document(str(templates_dir() / f"{code}.docx"))
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)  # A4
    assert 20 <= round(sec.top_margin.mm) <= 25 and 20 <= round(sec.bottom_margin.mm) <= 25
    assert 30 <= round(sec.left_margin.mm) <= 35 and 15 <= round(sec.right_margin.mm) <= 20
    xml = d.element.xml
    assert 'w:ascii="Times New Roman"' in xml
    fonts = set(re.findall(r'w:ascii="([^"]+)"', xml))
    assert fonts == {"Times New Roman"}
    header, nation = d.tables[0].cell(0, 0), d.tables[0].cell(0, 1)
    qh = nation.paragraphs[0].runs[0]
    assert qh.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and qh.bold and qh.font.size.pt == 12
    motto = nation.paragraphs[1].runs[0]
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.bold and motto.font.size.pt == 13
    assert "w:bottom" in nation.paragraphs[2]._p.xml  # the rule under the motto
    assert header.paragraphs[1].runs[0].bold  # the issuing body
    sign = d.tables[-1]
    noi_nhan = sign.cell(0, 0).paragraphs[0].runs[0]
    assert noi_nhan.text == "Nơi nhận:" and noi_nhan.bold and noi_nhan.italic
    assert noi_nhan.font.size.pt == 12
    assert sign.cell(0, 0).paragraphs[1].runs[0].font.size.pt == 11
    assert sign.cell(0, 0).paragraphs[-1].text.startswith("- Lưu: VT, ")


@pytest.mark.parametrize("code", CODES)
def test_filled_draft_reads_back(code: str, converted: dict[str, Converted]) -> None:
    c = converted[code]
    d = open_docx(c.docx)
    assert placeholders_in(d) == []
    text = document_text(c.docx)
    assert not PLACEHOLDER.search(text) and "{{" not in text
    assert "UBND TỈNH QUẢNG NINH" in text  # parent body, common phrase abbreviated
    assert "ỦY BAN NHÂN DÂN HUYỆN TIÊN YÊN" in text
    assert "Tiên Yên, ngày \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 tháng" in text
    assert "Số: " + "\u00a0" * 10 + "/" in text
    assert "Trần Văn Đức" in text and "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "2. Tuyên truyền đến từng hộ gia đình nhận khoán, bảo vệ rừng." in text
    spec = SPECS[code]
    if spec.type_name:
        assert spec.type_name in text and SUBJECT in text
        assert f"/{doc_type(spec.doc_type).abbreviation}-UBND" in text
    else:
        assert "V/v tăng cường công tác phòng cháy" in text
        assert "/UBND-NN" in text  # công văn: organisation + drafting unit
    if spec.kinh_gui:
        assert "Kính gửi:\n" not in text  # a line break, not a new paragraph
        assert f"- {RECIPIENTS[0]};" in text and f"- {RECIPIENTS[1]}." in text
        assert "- Như trên;" in text
    else:
        assert f"- {RECIPIENTS[0]};" in text
    assert "- Lưu: VT, NN." in text
    if code == "quyet-dinh":
        assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN TIÊN YÊN" not in text  # TM.: the collective
        assert "QUYẾT ĐỊNH:" in text and "Căn cứ …;" in text
        article = next(p for p in d.paragraphs if p.text.startswith("Điều 9."))
        assert article.runs[0].text == "Điều 9." and article.runs[0].bold
        assert not article.runs[1].bold


@pytest.mark.parametrize("code", CODES)
def test_converted_pdf_text_and_fonts(code: str, converted: dict[str, Converted]) -> None:
    c = converted[code]
    reader = PdfReader(str(c.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "ỦY BAN NHÂN DÂN HUYỆN TIÊN YÊN", "Trần Văn Đức", "Nơi nhận:",
                     "hộ gia đình nhận khoán, bảo vệ rừng"):
        assert expected in text, expected
    fonts = pdf_fonts(c.pdf)
    assert fonts and all(f.embedded for f in fonts)
    # Times New Roman is not installed here: the metric-compatible Liberation Serif is used.
    names = {f.name.split("+", 1)[-1] for f in fonts}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
            "LiberationSerif-BoldItalic"} <= names
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(c.pdf)], capture_output=True, text=True,
                             check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:]]
        assert rows and all(r[-5] == "yes" for r in rows), out  # the "emb" column


def _render(pdf: Path, out: Path, dpi: int = 72) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(pdf), str(out)], check=True)
    return Image.open(str(out) + ".png").convert("L")


def _ink(img: Image.Image, x0: float, y0: float, x1: float, y1: float) -> int:
    """Dark pixels in a box given in PDF points (origin bottom left), on a 72-dpi render."""
    w, h = img.size
    box = (max(0, int(x0)), max(0, int(h - y1)), min(w, int(x1) + 1), min(h, int(h - y0) + 1))
    return sum(1 for v in img.crop(box).tobytes() if v < 128)


@pytest.mark.parametrize("code", CODES)
def test_rendered_layout_and_blank_places(code: str, converted: dict[str, Converted],
                                          tmp_path: Path) -> None:
    c = converted[code]
    img = _render(c.pdf, tmp_path / code)
    w, h = img.size
    assert abs(w - 595) <= 1 and abs(h - 842) <= 1
    # App. I positions: issuing body top left, Quốc hiệu top right, nothing in the margins.
    assert _ink(img, 85, 740, 270, 800) > 200
    assert _ink(img, 290, 740, 550, 800) > 400
    assert _ink(img, 0, 0, 80, 842) == 0  # left margin 30 mm = 85 pt
    assert _ink(img, 555, 0, 595, 842) == 0  # right margin 15 mm = 42.5 pt
    assert _ink(img, 0, 800, 595, 842) == 0  # top margin 20 mm = 56.7 pt, no number on page 1
    places = locate_blanks(c.pdf)
    for b in (places.number, places.day, places.month, places.year):
        assert b.page == 0
        assert _ink(img, b.x0 + 1, b.y0 + 2, b.x1 - 1, b.y1 - 2) == 0, (code, b)
    assert places.number.width >= 30  # 4 digits at 13 pt
    assert places.day.width >= 20 and places.month.width >= 20 and places.year.width >= 30
    # "Số" and the date are on the same line (App. I §II.4c), the date right of the number.
    assert abs(places.number_baseline - places.date_baseline) < 2
    assert places.day.x0 > 297 > places.number.x1
    assert places.number_font_size == 13 and places.date_font_size == 14


def test_filled_number_and_date_are_found_not_blank(converted: dict[str, Converted],
                                                    tmp_path: Path, lo_profile: Path) -> None:
    """Control for the blank checks above: with a number and a date written in, the same
    places have ink and no blank is reported."""
    from desk.convert import convert_docx
    from desk.drafting import fill_template
    from desk.errors import ValidationError

    filled = tmp_path / "so.docx"
    fill_template(converted["quyet-dinh"].docx, {}, filled)  # no placeholders left: a copy
    d = docx.Document(str(filled))
    for p in d.tables[0]._cells[2].paragraphs + d.tables[0]._cells[3].paragraphs:
        for r in p.runs:
            r.text = (r.text.replace("\u00a0" * 10, "1234").replace("\u00a0" * 9, "2026")
                      .replace("\u00a0" * 6, "05"))
    d.save(str(filled))
    pdf = tmp_path / "so.pdf"
    convert_docx(filled, pdf, profile_dir=lo_profile)
    with pytest.raises(ValidationError) as err:
        locate_blanks(pdf)
    assert err.value.code == "no_blank"
    blank = locate_blanks(converted["quyet-dinh"].pdf)
    img = _render(pdf, tmp_path / "so")
    for b in (blank.number, blank.day, blank.month, blank.year):
        assert _ink(img, b.x0, b.y0, b.x1, b.y1) > 10, b


def test_long_document_numbers_pages_and_keeps_signature_together(
        tmp_path: Path, lo_profile: Path) -> None:
    import pypdfium2 as pdfium

    from desk.convert import convert_docx
    from desk.office import Office
    from tests.drafting.conftest import latest_draft_blob, new_draft, setup_office

    body = "\n".join(f"{i}. Nội dung đoạn thứ {i} về công tác phòng cháy, chữa cháy rừng: "
                     "kiểm tra, đôn đốc các chủ rừng thực hiện nghiêm phương án đã được duyệt."
                     for i in range(1, 46))
    with Office.open(tmp_path / "office") as office:
        staff = setup_office(office)
        doc_id = new_draft(office, staff, "ke-hoach", body=body)
        src = tmp_path / "dai.docx"
        office.blobs.copy_to(latest_draft_blob(office, doc_id), src)
    pdf = tmp_path / "dai.pdf"
    convert_docx(src, pdf, profile_dir=lo_profile)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) == 3
        tops = []
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            tops.append(tp.get_text_bounded(left=0, bottom=785, right=595, top=842).strip())
        assert tops == ["", "2", "3"]  # App. I §I.7: none on page 1, centred in the top margin
        last = doc[len(doc) - 1].get_textpage().get_text_range()
        assert "TM. ỦY BAN NHÂN DÂN" in last and "Trần Văn Đức" in last and "Nơi nhận:" in last
    finally:
        doc.close()


def test_templates_resaved_by_a_word_processor_still_fill(tmp_path: Path, lo_profile: Path) -> None:
    """A user's edit-and-save in a word processor rewrites the XML (runs, styles, rsids);
    LibreOffice's own DOCX export stands in for that here."""
    from desk.convert import convert_docx, find_soffice
    from desk.office import Office
    from tests.drafting.conftest import latest_draft_blob, new_draft, setup_office

    resaved = tmp_path / "resaved"
    soffice = find_soffice()
    assert soffice is not None
    subprocess.run([str(soffice), "--headless", "--norestore",
                    f"-env:UserInstallation={lo_profile.resolve().as_uri()}", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(resaved),
                    *[str(templates_dir() / f"{c}.docx") for c in CODES]],
                   check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in resaved.iterdir()) == sorted(f"{c}.docx" for c in CODES)
    with Office.open(tmp_path / "office") as office:
        staff = setup_office(office)
        for code in CODES:
            with zipfile.ZipFile(resaved / f"{code}.docx") as z:  # really rewritten
                assert z.read("word/document.xml") != zipfile.ZipFile(
                    templates_dir() / f"{code}.docx").read("word/document.xml")
            doc_id = new_draft(office, staff, code, template_dir=resaved)
            out = tmp_path / f"{code}.docx"
            office.blobs.copy_to(latest_draft_blob(office, doc_id), out)
            text = document_text(out)
            assert "{{" not in text and "Trần Văn Đức" in text and SUBJECT.split(" ", 2)[2] in text
            if code == "quyet-dinh":
                pdf = tmp_path / "qd.pdf"
                convert_docx(out, pdf, profile_dir=lo_profile)
                places = locate_blanks(pdf)
                assert places.number.width >= 30 and places.day.width >= 20


def test_clerk_fields_fill_the_blanks(converted: dict[str, Converted], tmp_path: Path) -> None:
    """The contract with signing.formfields: fields placed on the located blanks, then filled
    with the clerk's number and date, print inside the blanks on the draft's own lines."""
    from signing.formfields import fill_clerk_fields, prepare_clerk_fields
    from signing.placement import Box as SigningBox

    c = converted["quyet-dinh"]
    places = locate_blanks(c.pdf)
    boxes = {name: (b.page, SigningBox(b.x0 + 1, b.y0, b.x1 - 1, b.y1))
             for name, b in places.clerk_boxes().items()}
    prepared = prepare_clerk_fields(c.pdf.read_bytes(), boxes=boxes, font_size=13)
    filled = fill_clerk_fields(prepared, {"So": "1234", "Ngay": "05", "Thang": "01",
                                          "Nam": "2027"})
    pdf = tmp_path / "so.pdf"
    pdf.write_bytes(filled)
    img = _render(pdf, tmp_path / "so")
    blank = _render(c.pdf, tmp_path / "blank")
    for b in places.clerk_boxes().values():
        assert _ink(img, b.x0, b.y0, b.x1, b.y1) > 10, b
        assert _ink(blank, b.x0 + 1, b.y0, b.x1 - 1, b.y1) == 0, b
    # The values sit on the line: ink rises no higher than the neighbouring text's top.
    day = places.day
    assert _ink(img, day.x0, day.y1, day.x1, day.y1 + 6) == 0
