"""Tampering after signing is detected; harmless later changes are told apart."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject

from signing.keys import KeySession
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki


@pytest.fixture(scope="module")
def signed(leader_key: KeySession, trust: TrustSettings, draft: bytes) -> bytes:
    data, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, trust=trust)).sign_bytes(draft)
    return data


def _codes(report: object) -> set[str]:
    sigs = report.signatures  # type: ignore[attr-defined]
    return {c for s in sigs for c, _, _ in s.problems} | {c for c, _, _ in report.problems}  # type: ignore[attr-defined]


def test_untouched_file_is_valid_and_covers_whole_file(signed: bytes, trust: TrustSettings,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "signed.pdf"
    out.write_bytes(signed)
    pki.assert_external_checks(out, 1)
    report = verify_pdf(signed, trust=trust)
    assert report.verdict == "valid"
    assert report.signatures[0].covers_whole_file


def test_changed_byte_is_detected(signed: bytes, trust: TrustSettings, tmp_path: Path) -> None:
    at = signed.index(b"Tj", 2000)  # inside the page's content stream, within the signed range
    tampered = signed[:at] + b"TJ" + signed[at + 2:]
    report = verify_pdf(tampered, trust=trust)
    assert report.verdict == "invalid"
    assert "tampered" in _codes(report)
    assert not report.signatures[0].intact
    out = tmp_path / "t.pdf"
    out.write_bytes(tampered)
    assert "Digest Mismatch" in pki.pdfsig(out)


def _incremental(signed: bytes, change: object) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    change(w)  # type: ignore[operator]
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_page_added_after_signing_is_unsafe(signed: bytes, trust: TrustSettings) -> None:
    def add_page(w: IncrementalPdfFileWriter) -> None:
        content = w.add_object(generic.StreamObject(stream_data=b"BT /F1 20 Tf 72 700 Td (Trang gia mao) Tj ET"))
        w.insert_page(PageObject(contents=content, media_box=generic.ArrayObject(
            [generic.NumberObject(0), generic.NumberObject(0), generic.NumberObject(595),
             generic.NumberObject(842)])))

    report = verify_pdf(_incremental(signed, add_page), trust=trust)
    sig = report.signatures[0]
    assert sig.intact and sig.modification == "unsafe"
    assert report.verdict == "invalid" and "modified" in _codes(report)
    assert not sig.covers_whole_file


def test_shadow_attack_overwriting_page_content_is_unsafe(signed: bytes, trust: TrustSettings) -> None:
    def replace_content(w: IncrementalPdfFileWriter) -> None:
        page = w.find_page_for_modification(0)[0].get_object()
        contents_ref = page.raw_get("/Contents")
        # Overwrite the *existing* content stream object in a new revision: the
        # "replace" variant of the shadow attacks (the signed bytes stay untouched).
        stream = contents_ref.get_object()
        stream._data = b"BT /F1 13 Tf 72 700 Td <0001> Tj ET"
        stream._encoded_data = None
        w.mark_update(contents_ref)

    tampered = _incremental(signed, replace_content)
    report = verify_pdf(tampered, trust=trust)
    assert report.signatures[0].intact  # the signed bytes are untouched...
    assert report.verdict == "invalid" and "modified" in _codes(report)  # ...but the change is caught


def test_bytes_appended_after_last_revision(signed: bytes, trust: TrustSettings) -> None:
    report = verify_pdf(signed + b"\n% injected junk\n1 0 obj (x) endobj\n", trust=trust)
    assert report.verdict == "invalid"
    assert "not_whole_file" in _codes(report)
    assert not report.signatures[0].covers_whole_file


def test_comment_after_signature_is_reported_not_failed(signed: bytes, trust: TrustSettings) -> None:
    def add_note(w: IncrementalPdfFileWriter) -> None:
        page_ref = w.find_page_for_modification(0)[0]
        page = page_ref.get_object()
        note = w.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Text"),
            pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (50, 50, 70, 70)]),
            pdf_name("/Contents"): generic.TextStringObject("Đề nghị xem lại Điều 2"),
            pdf_name("/P"): page_ref,
        }))
        annots = page.get("/Annots")
        if annots is None:
            page[pdf_name("/Annots")] = generic.ArrayObject([note])
        else:
            annots.append(note)
        w.update_container(page)

    report = verify_pdf(_incremental(signed, add_note), trust=trust)
    sig = report.signatures[0]
    assert sig.modification == "annotations"
    assert report.verdict == "valid", report.summary()
    assert any(c == "comments_after" for c, _, _ in sig.warnings)


def test_certified_document_refuses_further_signatures(leader_key: KeySession, org_key: KeySession,
                                                       trust: TrustSettings, draft: bytes) -> None:
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm

    from signing.errors import SigningError

    w = IncrementalPdfFileWriter(io.BytesIO(draft))
    out = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name="ChungThuc", certify=True,
                                                   docmdp_permissions=MDPPerm.NO_CHANGES),
                      leader_key.signer).sign_pdf(w, output=out)
    with pytest.raises(SigningError) as err:
        DocumentSigner(org_key, SignOptions(level=Level.B_B, trust=trust)).sign_bytes(out.getvalue())
    assert "chứng thực" in err.value.vi


def test_verify_many_in_processes_matches_single(signed: bytes, trust: TrustSettings, tmp_path: Path) -> None:
    from signing.verify import verify_many

    paths = []
    for i in range(8):
        p = tmp_path / f"{i}.pdf"
        p.write_bytes(signed if i != 5 else signed[:-200] + b"x" * 200)
        paths.append(p)
    reports = verify_many(paths, trust=trust, workers=2, min_per_worker=1)
    assert [r.path for r in reports] == [str(p) for p in paths]
    assert [r.verdict for r in reports] == ["valid"] * 5 + ["invalid"] + ["valid"] * 2
