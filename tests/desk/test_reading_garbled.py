"""A scanned page whose text layer is garbled (a scanning app's OCR layer in a broken font
encoding) is read as an image: OCRed, its layer's words never used; without OCR, what is read
from that layer is never confident. Legacy encodings (TCVN3, VNI) are converted, not OCRed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from desk.docmeta import CONFIDENT
from desk.docpdf import PageSpec, render_to
from desk.docread import prepare
from desk.legacy import to_unicode
from desk.ocr import tesseract_path
from desk.vnscore import is_syllable, score_text
from tests.support import windows

# How Adobe Scan's text layer of lamdong-cat-298 (bench/data/reading_heldout.toml) spells
# Vietnamese letters: "CØNG HOÀ XÃ HØI", "xin chç tr°¡ng tri¿n khai", "SÑ", "n m 2025".
_GARBLE = {
    "Ộ": "Ø", "ộ": "Ù", "Ủ": "æ", "ủ": "ç", "Ĩ": "(", "ĩ": "(", "Ệ": "Æ", "ệ": "Ç", "Đ": "", "đ": "",
    "ậ": "-", "Ậ": "-", "ự": "ñ", "Ự": "å", "ạ": "¡", "Ạ": "¡", "Ỉ": "È", "ỉ": "É", "Ồ": "Ò", "ồ": "Ó",
    "Ố": "Ñ", "ố": "Ñ", "Ờ": "Ü", "ờ": "Ý", "ư": "°", "Ư": "°", "ơ": "¡", "Ơ": "¡", "ể": "¿", "ế": "¿",
    "Ế": "¿", "ă": " ", "Ă": " ", "ị": "Ë", "Ị": "Ë", "ử": "í", "ụ": "å", "ả": "£", "ấ": "¥", "Ấ": "¥",
    "ợ": "ã", "ứ": "é", "ỏ": "Ï", "ặ": "·", "ầ": "§", "ổ": "Õ", "ớ": "Û", "ề": "Á", "Ề": "Á", "ọ": "Ï",
    "ừ": "ë", "ữ": "÷", "ỗ": "ç", "ẩ": "¦", "ắ": "¯", "ằ": "»", "ẫ": "©", "ỳ": "ú", "ỹ": "û", "ỷ": "ü",
    "ẽ": "ª", "ẻ": "º", "ẹ": "¹", "ễ": "¼", "ở": "¾", "ỡ": "Ð", "ũ": "ò",
}

_VIETNAMESE = ("Căn cứ Nghị định số 116/2021/NĐ-CP ngày 21/12/2021 của Chính phủ quy định chi tiết một số "
               "điều của Luật Phòng, chống ma túy, Luật Xử lý vi phạm hành chính về cai nghiện ma túy và "
               "quản lý sau cai nghiện ma túy; Công an tỉnh đã dự thảo xong văn bản chỉ đạo của UBND tỉnh "
               "về việc tập trung thực hiện công tác cai nghiện tự nguyện tại gia đình, cộng đồng.")


def _garble(text: str) -> str:
    return "".join(_GARBLE.get(ch, ch if ord(ch) < 256 else "") for ch in text)


def test_vietnamese_syllables_are_told_from_garbled_words() -> None:
    for word in ("Quyết", "nghiêng", "HOÀ", "gì", "giữa", "khuya", "ĐỒNG", "ỦY", "xoong"):
        assert is_syllable(word), word
    for word in ("CØNG", "HiÇn", "tri¿n", "tr°¡ng", "quyêt", "Ùc"):
        assert not is_syllable(word), word
    assert not score_text(_VIETNAMESE).garbled and score_text(_VIETNAMESE).share > 0.95
    garbled = score_text(_garble(_VIETNAMESE))
    assert garbled.garbled and garbled.share < 0.75
    # Converted legacy encodings are Vietnamese; English (plain ASCII) is never called garbled;
    # a stamp's few words are not judged.
    tcvn3, enc = to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc. "
                            "C¨n cø LuËt Phßng, chèng bÖnh truyÒn nhiÔm ngµy 21 th¸ng 11 n¨m 2007; " * 3)
    assert enc == "TCVN3" and not score_text(tcvn3).garbled
    vni, enc = to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc. "
                          "Quyeát ñònh veà vieäc thöïc hieän coâng taùc caûi caùch haønh chính. " * 3)
    assert enc == "VNI" and not score_text(vni).garbled
    assert not score_text("The Parties agree to cooperate in the fields of trade and investment " * 4).garbled
    assert not score_text("Ký bởi: CØNG AN TÈNH").garbled


def _spec() -> PageSpec:
    return PageSpec("BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG", "298/TTr-CAT-PC04", "Lâm Đồng", date(2025, 10, 24),
                    "TỜ TRÌNH", "Về việc triển khai thực hiện công tác cai nghiện ma túy tự nguyện",
                    [_VIETNAMESE, "Kính báo cáo Đồng chí Chủ tịch UBND tỉnh chỉ đạo."],
                    "", "GIÁM ĐỐC", "Trương Minh Đương", ["Như trên", "Lưu: VT, PC04"])


def _scan_with_garbled_layer(tmp_path: Path) -> Path:
    """The page as an image (what the scanner saw) under an invisible text layer in which every
    line sits in its place but its Vietnamese letters are garbled, as Adobe Scan's was."""
    import pypdfium2 as pdfium
    from fpdf import FPDF
    from fpdf.enums import TextMode

    from desk.layout import pdf_layouts

    clean = render_to(_spec(), tmp_path / "clean.pdf")
    _, (layout,) = pdf_layouts(clean, [0])
    doc = pdfium.PdfDocument(str(clean))
    try:
        doc[0].render(scale=200 / 72).to_pil().convert("L").save(tmp_path / "page.png")
    finally:
        doc.close()
    pdf = FPDF(unit="pt", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(str(tmp_path / "page.png"), x=0, y=0, w=layout.width, h=layout.height)
    pdf.text_mode = TextMode.INVISIBLE
    for seg in layout.segments:
        pdf.set_font("Helvetica", size=max(4.0, 0.8 * seg.height))
        pdf.text(seg.x0, seg.y1, _garble(seg.text))
    out = tmp_path / "scan.pdf"
    pdf.output(str(out))
    return out


def test_a_garbled_layer_is_never_read_confidently_without_ocr(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import desk.ocr as ocr
    from desk.layout import pdf_layouts

    pdf = _scan_with_garbled_layer(tmp_path)
    _, (layout,) = pdf_layouts(pdf, [0])
    assert layout.char_count() > 80 and "CØNG" in layout.text and layout.garbled()
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)  # Tesseract not installed
    p = prepare(pdf)
    r = p.read
    assert p.ocr_error and p.ocr_pending == [0] and r.kind == "scan"
    assert r.fields, "the layer is still read, for the clerk"
    assert all(f.confidence < CONFIDENT for f in r.fields.values())


@pytest.mark.skipif(tesseract_path() is None, reason=windows.reason("tesseract") if sys.platform == "win32"
                    else "Tesseract (tesseract-ocr-vie) is not installed")
def test_a_page_with_a_garbled_layer_is_ocred(tmp_path: Path) -> None:
    p = prepare(_scan_with_garbled_layer(tmp_path))
    r = p.read
    assert r.kind == "scan" and p.ocr_pending == [] and p.ocr_error is None
    assert r.get("issuer_name") == "CÔNG AN TỈNH LÂM ĐỒNG" and r.parent_issuer == "BỘ CÔNG AN"
    assert (r.get("number"), r.get("notation"), r.get("doc_type")) == ("298", "TTr-CAT-PC04", "TTR")
    assert r.get("issued_date") == date(2025, 10, 24)
    assert all(f.source != "text" for f in r.fields.values())
    # The layer's words are not in the text (searched, read for names): only OCR's.
    assert "Ø" not in p.text and "°" not in p.text and "cai nghiện" in p.text


def test_a_tcvn3_text_layer_is_converted_not_ocred(tmp_path: Path) -> None:
    """An old .VnTime document printed to PDF: its layer is TCVN3, converted to Unicode and read
    as text (not sent to OCR as garbled)."""
    from fpdf import FPDF

    lines = ["UBND TØNH QU¶NG NINH", "Së Y TÕ", "Sè: 88/SYT-NVY", "H¹ Long, ngµy 20 th¸ng 11 n¨m 2026",
             "KÕ HO¹CH", "Phßng chèng sèt xuÊt huyÕt n¨m 2026",
             "C¨n cø LuËt Phßng, chèng bÖnh truyÒn nhiÔm ngµy 21 th¸ng 11 n¨m 2007;",
             "C¨n cø t×nh h×nh thùc tÕ cña ®Þa ph­¬ng, Së Y tÕ x©y dùng kÕ ho¹ch nh­ sau:"]
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "tcvn3.pdf"))
    p = prepare(tmp_path / "tcvn3.pdf", ocr=False)
    assert p.read.legacy_encoding == "TCVN3" and p.read.kind == "born-digital" and p.ocr_pending == []
    assert "sốt xuất huyết" in p.text and (p.read.get("number"), p.read.get("notation")) == ("88", "SYT-NVY")
