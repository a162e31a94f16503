"""Library-level guarantees: bundled font, import boundaries, Windows module search,
RSASSA-PSS, and verification verdicts for revoked and expired signers."""

from __future__ import annotations

import ast
import struct
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from signing.errors import SigningError
from signing.fonts import FONT_FILE, font_dir
from signing.keys import KeySession, Pkcs11KeySource
from signing.modules import discover_modules
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki

REPO = Path(__file__).resolve().parents[2]


def test_bundled_font_is_times_metric_1000_upem_with_vietnamese() -> None:
    font = TTFont(font_dir() / FONT_FILE)
    assert font["head"].unitsPerEm == 1000
    cmap = font.getBestCmap()
    vietnamese = "ĂÂĐÊÔƠƯăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    assert all(ord(c) in cmap for c in vietnamese)
    hmtx = font["hmtx"]
    # Times New Roman advance widths (per 1000 em): the stamp lays out like TNR 10 pt.
    for char, width in {"A": 722, "a": 444, "W": 944, " ": 250, "0": 500, "/": 278}.items():
        assert hmtx[cmap[ord(char)]][0] == width, char
    names = {n.nameID: n.toUnicode() for n in font["name"].names}
    assert "Liberation" not in names[1] and "Tinos" not in names[1]  # OFL reserved names
    assert (font_dir() / "OFL.txt").exists()


def test_signing_imports_nothing_from_desk_sync_ui_or_qt() -> None:
    forbidden = ("desk", "sync", "ui", "PySide6")
    for path in (REPO / "signing").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path}: imports {name}"


def test_windows_system_folder_search_explains_bitness(tmp_path: Path) -> None:
    system32 = tmp_path / "System32"
    system32.mkdir()
    # A 32-bit PE (i386) named like VNPT-CA's driver; Desk runs 64-bit here.
    pe = bytearray(b"MZ" + b"\0" * 62)
    pe[60:64] = struct.pack("<I", 64)
    pe += b"PE\0\0" + struct.pack("<H", 0x14C) + b"\0" * 32
    (system32 / "vnpt-ca_csp11.dll").write_bytes(bytes(pe))
    found = discover_modules(windows_root=str(tmp_path), probe_symbols=False)
    vnpt = next(m for m in found if m.path.endswith("vnpt-ca_csp11.dll"))
    assert vnpt.vendor == "VNPT-CA" and vnpt.bits == 32 and not vnpt.usable
    assert "bản 32-bit" in (vnpt.problem_vi or "")


def test_rsassa_pss_on_token(world: pki.TestWorld, trust: TrustSettings, draft: bytes, tmp_path: Path) -> None:
    with Pkcs11KeySource(world.module, pki.ORG_TOKEN, prefer_pss=True).open(lambda _r: pki.USER_PIN) as key:
        signed, _ = DocumentSigner(key, SignOptions(level=Level.B_B, trust=trust)).sign_bytes(draft)
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(BytesIO(signed)).embedded_signatures[0]
    assert sig.signer_info["signature_algorithm"]["algorithm"].native == "rsassa_pss"
    out = tmp_path / "pss.pdf"
    out.write_bytes(signed)
    pki.assert_external_checks(out, 1)
    assert verify_pdf(out, trust=trust).verdict == "valid"


def test_weak_digest_refused(leader_key: KeySession, draft: bytes) -> None:
    with pytest.raises(SigningError) as err:
        DocumentSigner(leader_key, SignOptions(level=Level.B_B, md_algorithm="sha1")).sign_bytes(draft)
    assert "SHA-256" in err.value.vi


def _sign_with(world: pki.TestWorld, label: str, draft: bytes, trust: TrustSettings) -> bytes:
    """Sign bypassing the pre-check, as another product might have done."""
    serial = format(world.pki.cert(label).serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(lambda _r: pki.USER_PIN) as key:
        signed, _ = DocumentSigner(key, SignOptions(level=Level.B_B, trust=trust),
                                   check_certificate=False).sign_bytes(draft)
    return signed


def test_revoked_signer_is_invalid_when_checked_online(world: pki.TestWorld, server: pki.PkiServer,
                                                       trust: TrustSettings, draft: bytes) -> None:
    signed = _sign_with(world, "revoked", draft, trust)
    report = verify_pdf(signed, trust=trust, online=True)
    sig = report.signatures[0]
    assert sig.revocation == "revoked" and report.verdict == "invalid"
    assert "đã bị thu hồi" in report.summary()
    good = verify_pdf(_sign_with(world, "leader", draft, trust), trust=trust, online=True)
    assert good.signatures[0].revocation == "good" and good.signatures[0].revocation_source == "online"


def test_document_signer_prechecks_the_certificate(world: pki.TestWorld, trust: TrustSettings) -> None:
    from signing.errors import CertificateRejected

    serial = format(world.pki.cert("nosign").serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(lambda _r: pki.USER_PIN) as key, \
            pytest.raises(CertificateRejected) as err:
        DocumentSigner(key, SignOptions(level=Level.B_B, trust=trust))
    assert "key_usage" in err.value.reasons


def test_expired_signer_is_explained_in_vietnamese(world: pki.TestWorld, trust: TrustSettings,
                                                   draft: bytes) -> None:
    report = verify_pdf(_sign_with(world, "expired", draft, trust), trust=trust)
    sig = report.signatures[0]
    assert sig.intact and not sig.trusted
    assert report.verdict == "untrusted"  # intact; the signer cannot be confirmed
    assert any("hết hạn" in vi for _, vi, _ in sig.problems), sig.problems
    data = report.to_dict()
    assert data["signatures"][0]["problems"][0]["vi"] and data["verdict"] == "untrusted"


def test_trust_roots_from_pem_der_and_p7b_bundle(world: pki.TestWorld, tmp_path: Path) -> None:
    from asn1crypto import cms

    root, interm = world.pki.cert("root"), world.pki.cert("interm")
    bundle = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData({
        "version": "v1", "digest_algorithms": [], "encap_content_info": {"content_type": "data"},
        "certificates": [cms.CertificateChoices({"certificate": root}),
                         cms.CertificateChoices({"certificate": interm})],
        "signer_infos": []})})
    (tmp_path / "vnrca256.p7b").write_bytes(bundle.dump())
    (tmp_path / "interm.der").write_bytes(interm.dump())
    (tmp_path / "notes.txt").write_text("not a certificate")
    trust = TrustSettings.from_folder(tmp_path)
    assert [c.dump() for c in trust.roots] == [root.dump()]
    assert len(trust.intermediates) == 2  # the bundle's intermediate and the .der file
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(SigningError) as err:
        TrustSettings.from_files([bad])
    assert "không phải chứng thư" in err.value.vi


def test_revoked_certificate_is_refused_not_downgraded(world: pki.TestWorld, server: pki.PkiServer,
                                                        trust: TrustSettings, draft: bytes) -> None:
    # Without the batch pre-check, pyHanko's B-LT preparation finds the revocation:
    # it must be a refusal, never an "offline, signed at B-B, pending" result.
    from signing.errors import CertificateRejected

    serial = format(world.pki.cert("revoked").serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(lambda _r: pki.USER_PIN) as key:
        signer = DocumentSigner(key, SignOptions(level=Level.B_LT, tsa_url=server.pki.tsa_url, trust=trust))
        with pytest.raises(CertificateRejected) as err:
            signer.sign_bytes(draft)
        assert not signer.offline
    assert "thu hồi" in err.value.vi


def test_untrusted_chain_cannot_embed_ltv_data(leader_key: KeySession, server: pki.PkiServer,
                                               draft: bytes, world: pki.TestWorld) -> None:
    other_root = TrustSettings((world.pki.cert("tsa"),))  # a certificate that is not the CA's root
    with pytest.raises(SigningError) as err:
        DocumentSigner(leader_key, SignOptions(level=Level.B_LT, tsa_url=server.pki.tsa_url,
                                               trust=other_root)).sign_bytes(draft)
    assert "chứng thư gốc" in err.value.vi
