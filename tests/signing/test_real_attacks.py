"""Attacks built on a real six-signature VGCA document, and the changes that stay allowed.

Each attack appends one incremental update to the published file (its signed
bytes untouched) and must come out as a named content change; the allowed kinds
of update (a later signature, a comment after approval signatures) must not.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject

from signing.keys import KeySession
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import TrustSettings
from signing.verify import VerificationReport, verify_pdf

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "signed"
BASE = (REAL / "vinhlong-811-bc-ubnd-6sig.pdf").read_bytes()
NO_TRUST = TrustSettings()


def _update(change: Callable[[IncrementalPdfFileWriter], None], data: bytes = BASE) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _assert_caught(report: VerificationReport, what_en: str) -> None:
    en = report.summary("en")
    assert report.verdict == "invalid", en
    for s in report.signatures:
        assert s.intact, en  # the signed bytes are untouched...
        assert s.modification == "unsafe", en  # ...but every signature sees the change
        assert any(c == "modified" and what_en in t for c, _, t in s.problems), en
    assert "NỘI DUNG BỊ THAY ĐỔI sau khi ký" in report.summary("vi")


def _first_content_stream(w: IncrementalPdfFileWriter) -> generic.IndirectObject:
    page = w.find_page_for_modification(0)[0].get_object()
    contents = page.raw_get("/Contents")
    if isinstance(contents, generic.IndirectObject) and isinstance(contents.get_object(), generic.ArrayObject):
        contents = contents.get_object()[0]
    elif isinstance(contents, generic.ArrayObject):
        contents = contents[0]
    assert isinstance(contents, generic.IndirectObject)
    return contents


def test_page_content_replaced_is_caught() -> None:
    def replace(w: IncrementalPdfFileWriter) -> None:
        ref = _first_content_stream(w)
        stream = ref.get_object()
        stream._data = b"BT /F1 14 Tf 72 700 Td (So: 999/BC-UBND) Tj ET"
        stream._encoded_data = None
        w.mark_update(ref)

    _assert_caught(verify_pdf(_update(replace), trust=NO_TRUST), "page content replaced")


def test_page_added_is_caught() -> None:
    def add_page(w: IncrementalPdfFileWriter) -> None:
        content = w.add_object(generic.StreamObject(stream_data=b"BT /F1 20 Tf 72 700 Td (Trang them) Tj ET"))
        w.insert_page(PageObject(contents=content, media_box=generic.ArrayObject(
            [generic.NumberObject(v) for v in (0, 0, 595, 842)])))

    _assert_caught(verify_pdf(_update(add_page), trust=NO_TRUST), "a page added or removed")


def test_font_redefined_is_caught() -> None:
    def redefine(w: IncrementalPdfFileWriter) -> None:
        page = w.find_page_for_modification(0)[0].get_object()
        fonts = page["/Resources"]["/Font"]
        ref = next(fonts.raw_get(k) for k in fonts if isinstance(fonts.raw_get(k), generic.IndirectObject))
        font = ref.get_object()
        font[pdf_name("/Encoding")] = pdf_name("/WinAnsiEncoding")
        w.mark_update(ref)

    _assert_caught(verify_pdf(_update(redefine), trust=NO_TRUST), "an image, drawing or font redefined")


def test_signature_stamp_image_redefined_is_caught() -> None:
    """The shadow attack on the seal: the last signature's appearance XObject is overwritten."""
    def redefine(w: IncrementalPdfFileWriter) -> None:
        reader = w.prev
        field = reader.embedded_signatures[-1].sig_field
        ap_ref = field.get("/AP").raw_get("/N")
        stream = ap_ref.get_object()
        stream._data = b"q 1 0 0 RG 0 0 100 100 re f Q"
        stream._encoded_data = None
        w.mark_update(ap_ref)

    report = verify_pdf(_update(redefine), trust=NO_TRUST)
    assert report.verdict == "invalid", report.summary("en")
    assert all(s.modification == "unsafe" for s in report.signatures), report.summary("en")


def _annotation(w: IncrementalPdfFileWriter, subtype: str, ap: bool) -> None:
    page_ref = w.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    annot = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name(subtype),
        pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (100, 600, 400, 700)]),
        pdf_name("/Contents"): generic.TextStringObject("Số: 999"),
        pdf_name("/P"): page_ref,
    })
    if ap:
        stream = w.add_object(generic.StreamObject({
            pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 300, 100)]),
        }, stream_data=b"1 1 1 rg 0 0 300 100 re f"))
        annot[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): stream})
    ref = w.add_object(annot)
    annots = page.get("/Annots")
    if annots is None:
        page[pdf_name("/Annots")] = generic.ArrayObject([ref])
    else:
        annots.append(ref)
        raw = page.raw_get("/Annots")
        if isinstance(raw, generic.IndirectObject):
            w.mark_update(raw)
    w.update_container(page)


def test_stamp_annotation_drawn_over_the_page_is_caught() -> None:
    data = _update(lambda w: _annotation(w, "/Stamp", ap=True))
    _assert_caught(verify_pdf(data, trust=NO_TRUST), "an annotation drawn over the page")


def test_comment_after_signing_is_allowed_after_approval_but_not_after_certification() -> None:
    report = verify_pdf(_update(lambda w: _annotation(w, "/Text", ap=False)), trust=NO_TRUST)
    first, *approvals = report.signatures
    # Signature 1 certified the document for form filling and signing only (DocMDP P=2)
    assert first.modification == "unsafe" and "modified" in {c for c, _, _ in first.problems}
    for s in approvals:
        assert s.modification == "annotations", report.summary("en")
        assert "comments" in s.changes and "comments_after" in {c for c, _, _ in s.warnings}
        assert not {c for c, _, _ in s.problems} & {"modified", "tampered"}


def test_bytes_appended_are_caught() -> None:
    report = verify_pdf(BASE + b"\n% appended\n1 0 obj (x) endobj\n", trust=NO_TRUST)
    assert report.verdict == "invalid"
    assert "not_whole_file" in {c for c, _, _ in report.problems}
    assert not any(s.covers_whole_file for s in report.signatures)


@pytest.mark.parametrize("cut", [1000, 20_000, 200_000])
def test_truncated_file_gives_a_verdict_not_a_traceback(cut: int) -> None:
    report = verify_pdf(BASE[:-cut], trust=NO_TRUST)
    assert report.verdict in ("invalid", "unsigned"), report.summary("en")
    assert report.summary("vi") and report.summary("en")


def test_last_signature_byte_range_beyond_the_file_is_caught() -> None:
    """A signature whose /ByteRange claims bytes the file does not have is never valid."""
    data = bytearray(BASE)
    at = data.rindex(b"/ByteRange")
    end = data.index(b"]", at)
    numbers = data[at + len(b"/ByteRange"):end].strip(b" [")
    a, b, c, d = (int(x) for x in numbers.split())
    longer = f"{a} {b} {c} {d + 5000}".encode()
    field = bytes(data[at + len(b"/ByteRange"):end + 1])
    replacement = b" [" + longer.ljust(len(field) - 3) + b"]"
    data[at + len(b"/ByteRange"):end + 1] = replacement[:len(field)]
    report = verify_pdf(bytes(data), trust=NO_TRUST)
    last = report.signatures[-1]
    assert report.verdict == "invalid" and not last.intact, report.summary("en")


def test_a_later_signature_on_a_real_document_is_an_allowed_change(leader_key: KeySession,
                                                                   trust: TrustSettings) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, trust=trust)).sign_bytes(BASE)
    report = verify_pdf(signed, trust=trust)
    *vgca, ours = report.signatures
    assert len(vgca) == 6
    for s in vgca:
        assert s.intact and s.modification != "unsafe", report.summary("en")
        assert "signatures" in s.changes
        assert not {c for c, _, _ in s.problems} & {"modified", "tampered", "bad_signature"}
    assert ours.verdict == "valid" and ours.modification == "none", report.summary("en")


def test_annotation_dressed_as_structure_element_is_caught() -> None:
    """A stamp with /S and /P (the keys of a structure element, no /Type) is still an annotation."""
    def disguised(w: IncrementalPdfFileWriter) -> None:
        _annotation(w, "/Stamp", ap=False)
        page = w.find_page_for_modification(0)[0].get_object()
        annot = page["/Annots"][-1]
        annot[pdf_name("/S")] = pdf_name("/Figure")
        del annot[pdf_name("/Type")]

    report = verify_pdf(_update(disguised), trust=NO_TRUST)
    assert report.verdict == "invalid" and all(s.modification == "unsafe" for s in report.signatures), \
        report.summary("en")
