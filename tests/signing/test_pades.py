"""PAdES levels over a real SoftHSM2 token and a loopback TSA/OCSP/CRL."""

from __future__ import annotations

from pathlib import Path

import pytest

from signing.keys import KeySession, Pkcs11KeySource, Pkcs12KeySource
from signing.pades import DocumentSigner, LeaderAppearance, Level, SignOptions
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki

EXPECTED_LEVEL = {Level.B_B: "B-B", Level.B_T: "B-T", Level.B_LT: "B-LT", Level.B_LTA: "B-LTA"}


@pytest.mark.parametrize("level", list(Level))
def test_levels_verify_and_pass_external_checks(level: Level, leader_key: KeySession, server: pki.PkiServer,
                                                trust: TrustSettings, draft: bytes, signature_image: object,
                                                tmp_path: Path) -> None:
    opts = SignOptions(level=level, tsa_url=server.pki.tsa_url, trust=trust,
                       appearance=LeaderAppearance(signature_image, pki.LEADER_TITLE))  # type: ignore[arg-type]
    signed, result = DocumentSigner(leader_key, opts).sign_bytes(draft)
    assert result.level is level and not result.pending_proof
    out = tmp_path / f"{level.value}.pdf"
    out.write_bytes(signed)
    expected = 2 if level is Level.B_LTA else 1  # B-LTA adds a document timestamp
    pki.assert_external_checks(out, expected)
    report = verify_pdf(out, trust=trust)
    sig = report.signatures[0]
    assert report.verdict == "valid", report.summary()
    assert sig.level == EXPECTED_LEVEL[level]
    assert sig.signer == pki.LEADER_NAME
    assert (sig.timestamp_time is not None) == (level is not Level.B_B)
    if level in (Level.B_LT, Level.B_LTA):
        assert sig.revocation == "good" and sig.revocation_source == "dss"


def test_ecdsa_key_on_token(world: pki.TestWorld, server: pki.PkiServer, trust: TrustSettings,
                            draft: bytes, tmp_path: Path) -> None:
    serial = format(world.pki.cert("leader-ec").serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(lambda _r: pki.USER_PIN) as key:
        assert key.info.key_type.startswith("ECDSA")
        signed, _ = DocumentSigner(key, SignOptions(level=Level.B_T, tsa_url=server.pki.tsa_url,
                                                    trust=trust)).sign_bytes(draft)
    out = tmp_path / "ec.pdf"
    out.write_bytes(signed)
    pki.assert_external_checks(out, 1)
    assert verify_pdf(out, trust=trust).verdict == "valid"


def test_pkcs12_file(world: pki.TestWorld, server: pki.PkiServer, trust: TrustSettings, draft: bytes,
                     tmp_path: Path) -> None:
    p12 = world.pki.pkcs12("org")
    asked: list[str] = []

    def password(req: object) -> str:
        asked.append(str(req))
        return pki.P12_PASSWORD

    with Pkcs12KeySource(p12).open(password) as key:
        signed, result = DocumentSigner(key, SignOptions(level=Level.B_LT, tsa_url=server.pki.tsa_url,
                                                         trust=trust)).sign_bytes(draft)
    assert len(asked) == 1 and result.signer.subject_cn == pki.ORG_NAME
    out = tmp_path / "p12.pdf"
    out.write_bytes(signed)
    pki.assert_external_checks(out, 1)
    assert verify_pdf(out, trust=trust).signatures[0].level == "B-LT"


def test_b_lt_still_validates_with_services_stopped(leader_key: KeySession, server: pki.PkiServer,
                                                     trust: TrustSettings, draft: bytes) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_LT, tsa_url=server.pki.tsa_url,
                                                       trust=trust)).sign_bytes(draft)
    with server.stopped():
        offline = verify_pdf(signed, trust=trust, online=False)
        online_attempt = verify_pdf(signed, trust=trust, online=True)
    sig = offline.signatures[0]
    assert offline.verdict == "valid" and sig.revocation == "good" and sig.revocation_source == "dss"
    # Online mode with the services down still has the DSS to fall back on.
    assert online_attempt.signatures[0].intact


def test_sha384_digest(leader_key: KeySession, trust: TrustSettings, draft: bytes) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, md_algorithm="sha384",
                                                       trust=trust)).sign_bytes(draft)
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert sig.md_algorithm == "sha384"
    assert verify_pdf(signed, trust=trust).verdict == "valid"


def test_level_does_not_depend_on_online_or_offline_check(leader_key: KeySession, server: pki.PkiServer,
                                                          trust: TrustSettings, draft: bytes) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url,
                                                       trust=trust)).sign_bytes(draft)
    online = verify_pdf(signed, trust=trust, online=True).signatures[0]
    offline = verify_pdf(signed, trust=trust, online=False).signatures[0]
    assert online.level == offline.level == "B-LTA"
    assert online.revocation_source == "online" and offline.revocation_source == "dss"
