"""Remote signing over CSC against certomancer-csc-dummy on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from signing.csc import CscKeySource
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki


def test_csc_remote_signature_b_lt(server: pki.PkiServer, trust: TrustSettings, draft: bytes,
                                   tmp_path: Path) -> None:
    source = CscKeySource(server.csc_url, f"{pki.ARCH}/leader")
    asked: list[str] = []
    with source.open(lambda r: asked.append(r.token_label) or "123456") as key:
        assert key.info.subject_cn == pki.LEADER_NAME
        signer = DocumentSigner(key, SignOptions(level=Level.B_LT, tsa_url=server.pki.tsa_url, trust=trust))
        first, _ = signer.sign_bytes(draft)
        second, _ = signer.sign_bytes(first)  # two signatures in one session (hash-pinned SAD each)
    assert asked == [f"127.0.0.1:{server.csc_port}"]
    out = tmp_path / "csc.pdf"
    out.write_bytes(second)
    pki.assert_external_checks(out, 2)
    report = verify_pdf(out, trust=trust)
    assert report.verdict == "valid", report.summary()
    assert [s.signer for s in report.signatures] == [pki.LEADER_NAME, pki.LEADER_NAME]


def test_csc_unknown_credential_is_a_clear_error(server: pki.PkiServer) -> None:
    from signing.errors import RemoteSigningError

    try:
        CscKeySource(server.csc_url, f"{pki.ARCH}/khong-co").open(lambda r: "1")
    except RemoteSigningError as exc:
        assert "dịch vụ ký từ xa" in exc.vi
    else:
        raise AssertionError("expected RemoteSigningError")
