"""Decree 30 appearances and the leader → clerk → organisation signing order."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature

from signing.appearance import ImageAsset
from signing.formfields import default_anchors, fill_clerk_fields, prepare_clerk_fields
from signing.keys import KeySession
from signing.pades import (
    AttachmentAppearance,
    CopyAppearance,
    CopyKind,
    DocumentSigner,
    LeaderAppearance,
    Level,
    SealAppearance,
    SignOptions,
)
from signing.placement import find_text, signature_widget
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki


def _render(pdf: Path, png_base: Path, page: int = 1, dpi: int = 100) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(png_base)], check=True)
    return png_base.with_suffix(".png")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def signed_chain(leader_key: KeySession, org_key: KeySession, server: pki.PkiServer, trust: TrustSettings,
                 draft: bytes, signature_image: ImageAsset, seal_image: ImageAsset,
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chain")
    prepared = prepare_clerk_fields(draft, default_anchors("QĐ-UBND"))
    leader_signed, _ = DocumentSigner(leader_key, SignOptions(
        level=Level.B_T, tsa_url=server.pki.tsa_url, trust=trust,
        appearance=LeaderAppearance(signature_image, pki.LEADER_TITLE))).sign_bytes(prepared)
    filled = fill_clerk_fields(leader_signed, {"So": "15", "Ngay": "25", "Thang": "11"})
    sealed, _ = DocumentSigner(org_key, SignOptions(
        level=Level.B_LTA, tsa_url=server.pki.tsa_url, trust=trust,
        appearance=SealAppearance(seal_image))).sign_bytes(filled)
    paths = {}
    for name, data in (("leader", leader_signed), ("filled", filled), ("sealed", sealed)):
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths


def test_leader_image_sits_between_title_and_name(signed_chain: dict[str, Path]) -> None:
    data = signed_chain["leader"].read_bytes()
    widget = signature_widget(PdfFileReader(io.BytesIO(data)), "LanhDao")
    title = find_text(data, widget.page, pki.LEADER_TITLE)[-1]
    name = find_text(data, widget.page, pki.LEADER_NAME)[-1]
    box = widget.box
    assert name.y2 < box.y1 < box.y2 < title.y1
    assert abs(box.cx - (title.cx + name.cx) / 2) < 2
    assert box.height > 40  # fills the gap, not a token-sized stamp


def test_seal_overlaps_a_third_of_the_leader_image_on_its_left(signed_chain: dict[str, Path],
                                                               seal_image: ImageAsset) -> None:
    reader = PdfFileReader(io.BytesIO(signed_chain["sealed"].read_bytes()))
    leader = signature_widget(reader, "LanhDao").box
    seal = signature_widget(reader, "CoQuan").box
    overlap = seal.x2 - leader.x1
    assert overlap == pytest.approx(leader.width / 3, abs=1.5)
    assert seal.x1 < leader.x1
    assert abs(seal.cy - leader.cy) < 1.5
    # actual size: 36 mm at the PNG's 200 dpi
    assert seal.width == pytest.approx(36 / 25.4 * 72, abs=1.5)


def test_clerk_fill_keeps_leader_signature_valid(signed_chain: dict[str, Path], trust: TrustSettings) -> None:
    data = signed_chain["filled"].read_bytes()
    reader = PdfFileReader(io.BytesIO(data))
    vc = trust.context(online=False, revocation_mode="soft-fail")
    status = validate_pdf_signature(reader.embedded_signatures[0], vc, skip_diff=False)
    assert status.intact and status.valid
    assert status.modification_level == ModificationLevel.FORM_FILLING
    assert status.docmdp_ok
    pki.assert_external_checks(signed_chain["leader"], 1)
    report = pki.assert_external_checks(signed_chain["filled"], 1)
    assert "Signature is Valid." in report  # poppler agrees the leader's signature survived the fill
    text = _text(signed_chain["filled"])
    assert "15" in text and "/QĐ-UBND" in text


def test_full_chain_verifies_and_passes_pdfsig(signed_chain: dict[str, Path], trust: TrustSettings) -> None:
    path = signed_chain["sealed"]
    out = pki.assert_external_checks(path, 3)  # leader, organisation, document timestamp
    assert out.count("Signature is Valid.") == 2
    report = verify_pdf(path, trust=trust)
    assert report.verdict == "valid", report.summary()
    leader, org = (s for s in report.signatures if s.kind == "signature")
    assert leader.signer == pki.LEADER_NAME and leader.modification == "form_filling"
    # the clerk's fill and the organisation's signature are named, not just "allowed"
    assert {"number_date", "signatures", "ltv"} <= set(leader.changes), leader.changes
    assert "number and date filled" in report.summary("en")
    assert org.signer == pki.ORG_NAME and org.level == "B-LTA"


def test_rendered_pages_for_visual_check(signed_chain: dict[str, Path], artefacts: Path) -> None:
    png = _render(signed_chain["sealed"], artefacts / "leader-seal-page")
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize("kind", ["attachment", "copy"])
def test_text_stamp_top_right_of_first_page(kind: str, org_key: KeySession, server: pki.PkiServer,
                                            trust: TrustSettings, tmp_path: Path, artefacts: Path) -> None:
    source = pki.make_decree_pdf(tmp_path / "phu-luc.pdf", extra_pages=1)
    app = (AttachmentAppearance("15/QĐ-UBND") if kind == "attachment"
           else CopyAppearance(CopyKind.SAO_Y, "Văn phòng Ủy ban nhân dân xã Tân Hòa"))
    signed, result = DocumentSigner(org_key, SignOptions(level=Level.B_T, tsa_url=server.pki.tsa_url,
                                                         trust=trust, appearance=app)).sign_bytes(
        source.read_bytes())
    out = tmp_path / f"{kind}.pdf"
    out.write_bytes(signed)
    pki.assert_external_checks(out, 1)
    widget = signature_widget(PdfFileReader(io.BytesIO(signed)), result.field_name)
    assert widget.page == 0
    assert widget.box.x2 > 595 - 60 and widget.box.y2 > 842 - 30  # top right corner
    iso = result.signing_time.astimezone(__import__("signing.appearance", fromlist=["VN_TZ"]).VN_TZ)
    stamp_text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", str(int(widget.box.x1 * 100 / 72)),
                                 "-y", "0", "-W", "600", "-H", "80", "-r", "100", str(out), "-"],
                                capture_output=True, text=True, check=True).stdout
    expected_first = "15/QĐ-UBND" if kind == "attachment" else "SAO Y"
    assert expected_first in stamp_text
    assert iso.strftime("%Y-%m-%dT%H:%M:%S+07:00") in stamp_text
    if kind == "copy":
        assert "Văn phòng Ủy ban nhân dân xã Tân Hòa" in stamp_text
    # 10 pt Times-metric font: the font object says so
    assert b"DeskSerif-Regular" in signed and b"/F1 10 Tf" in _appearance_stream(signed, result.field_name)
    _render(out, artefacts / f"{kind}-stamp")
    assert verify_pdf(out, trust=trust).verdict == "valid"


def _appearance_stream(data: bytes, field: str) -> bytes:
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(data))
    for name, _, ref in enumerate_sig_fields(reader):
        if name == field:
            stream = ref.get_object()["/AP"]["/N"].get_object()
            return bytes(stream.data)
    raise AssertionError(field)


def test_missing_title_gives_a_clear_error(leader_key: KeySession, draft: bytes,
                                           signature_image: ImageAsset) -> None:
    from signing.errors import AppearanceError

    with pytest.raises(AppearanceError) as err:
        DocumentSigner(leader_key, SignOptions(level=Level.B_B, appearance=LeaderAppearance(
            signature_image, "PHÓ CHỦ TỊCH"))).sign_bytes(draft)
    assert "Không tìm thấy chức vụ" in err.value.vi


def test_name_without_diacritics_still_finds_the_signature_block(leader_key: KeySession, draft: bytes,
                                                                 signature_image: ImageAsset) -> None:
    # Many Vietnamese CA certificates carry the holder's name as "NGUYEN VAN AN".
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, appearance=LeaderAppearance(
        signature_image, "chu tich", name="NGUYEN  VAN AN"))).sign_bytes(draft)
    box = signature_widget(PdfFileReader(io.BytesIO(signed)), "LanhDao").box
    name = find_text(draft, 0, pki.LEADER_NAME)[-1]
    title = find_text(draft, 0, pki.LEADER_TITLE)[-1]
    assert name.y2 < box.y1 < box.y2 < title.y1


@pytest.fixture(scope="module")
def writer_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: make system-test installs it")
    return pki.make_libreoffice_pdf(tmp_path_factory.mktemp("writer")).read_bytes()


def test_libreoffice_document_signed_leader_then_seal(writer_pdf: bytes, leader_key: KeySession,
                                                      org_key: KeySession, server: pki.PkiServer,
                                                      trust: TrustSettings, signature_image: ImageAsset,
                                                      seal_image: ImageAsset, tmp_path: Path,
                                                      artefacts: Path) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(
        level=Level.B_T, tsa_url=server.pki.tsa_url, trust=trust,
        appearance=LeaderAppearance(signature_image, pki.LEADER_TITLE))).sign_bytes(writer_pdf)
    sealed, _ = DocumentSigner(org_key, SignOptions(
        level=Level.B_LT, tsa_url=server.pki.tsa_url, trust=trust,
        appearance=SealAppearance(seal_image))).sign_bytes(signed)
    out = tmp_path / "writer-signed.pdf"
    out.write_bytes(sealed)
    pki.assert_external_checks(out, 2)
    report = verify_pdf(out, trust=trust)
    assert report.verdict == "valid", report.summary()
    box = signature_widget(PdfFileReader(io.BytesIO(sealed)), "LanhDao").box
    name = find_text(writer_pdf, box_page(sealed), pki.LEADER_NAME)[-1]
    assert name.y2 < box.y1
    _render(out, artefacts / "libreoffice-leader-seal", page=box_page(sealed) + 1)


def box_page(data: bytes) -> int:
    return signature_widget(PdfFileReader(io.BytesIO(data)), "LanhDao").page


def test_scanned_page_without_text_needs_coordinates(leader_key: KeySession, signature_image: ImageAsset,
                                                     tmp_path: Path) -> None:
    from PIL import Image

    from signing.errors import AppearanceError
    from signing.placement import Box, Placement

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (1240, 1754), "white").save(scan, "PDF", resolution=150)
    with pytest.raises(AppearanceError) as err:
        DocumentSigner(leader_key, SignOptions(level=Level.B_B, appearance=LeaderAppearance(
            signature_image, pki.LEADER_TITLE))).sign_bytes(scan.read_bytes())
    assert "chỉ định tọa độ" in err.value.vi
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, appearance=LeaderAppearance(
        signature_image, pki.LEADER_TITLE, box=Placement(0, Box(350, 150, 500, 210))))).sign_bytes(scan.read_bytes())
    assert signature_widget(PdfFileReader(io.BytesIO(signed), strict=False), "LanhDao").box.as_ints() == (350, 150, 500, 210)
