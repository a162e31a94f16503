"""Issue 12's shape (6 signatures, 7 revisions, 29 pages) built from the real Decree 335/2025/NĐ-CP.

The real decree (1 VGCA certification signature) gets 5 more PAdES B-T signatures from
Desk's signer with the test PKI (decree_six_signatures.py). Its verdict: every signature
intact, every later revision named as an allowed change, nothing "changed"; the 5 test
signatures confirmed only once the test root is an anchor. Time and memory are measured
by bench/bench_verify_real.py, not here.
"""

from __future__ import annotations

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.trust import TrustSettings
from signing.verify import VerificationReport, verify_pdf
from tests.signing.decree_six_signatures import REAL_DECREE, BuiltDecree, build
from tests.support import pki

BAD_CODES = {"tampered", "modified", "bad_signature", "not_covered", "bad_timestamp", "not_whole_file",
             "changes_unchecked", "unreadable"}


@pytest.fixture(scope="module")
def built(world: pki.TestWorld, server: pki.PkiServer, tmp_path_factory: pytest.TempPathFactory) -> BuiltDecree:
    return build(tmp_path_factory.mktemp("decree-6sig"), world.pki, world.images)


@pytest.fixture(scope="module")
def with_test_root(built: BuiltDecree, trust: TrustSettings) -> VerificationReport:
    data = built.pdf.read_bytes()
    store = TrustSettings.bundled().merged(trust)  # Desk's Vietnamese store + the test root
    return verify_pdf(data, trust=store.for_document(data), name=str(built.pdf))


def _codes(items: list[tuple[str, str, str]]) -> set[str]:
    return {c for c, _, _ in items}


def test_shape_is_issue_12s(built: BuiltDecree) -> None:
    data = built.pdf.read_bytes()
    assert data.startswith(REAL_DECREE.read_bytes())  # the real decree, byte for byte, then 5 updates
    with built.pdf.open("rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        assert int(reader.root["/Pages"]["/Count"]) == 29
        assert len(reader.embedded_signatures) == 6
        assert reader.xrefs.total_revisions == 7
    out = pki.pdfsig(built.pdf)
    assert out.count("Signature is Valid.") == 6 and "Digest Mismatch" not in out, out


def test_every_signature_intact_and_later_revisions_named_as_allowed(with_test_root: VerificationReport) -> None:
    report = with_test_root
    summary = report.summary("en")
    assert report.verdict == "valid", summary
    sigs = [s for s in report.signatures if s.kind == "signature"]
    assert len(sigs) == 6
    for s in sigs:
        assert s.intact and s.valid, summary
        assert not (_codes(s.problems) & (BAD_CODES | {"untrusted"})), summary
        assert s.modification not in ("unsafe", "unchecked"), summary
    assert [s.changes for s in sigs] == [["signatures", "structure"]] * 5 + [[]], summary
    assert summary.count("Changes after signing: later signatures; document structure only") == 5, summary
    assert "changed after signing" not in summary.lower() and "INVALID" not in summary
    assert sigs[0].signer.startswith("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ"), summary  # the real VGCA signature
    assert all(s.timestamp_status == "confirmed" for s in sigs), summary


def test_test_signatures_untrusted_without_the_test_root(built: BuiltDecree) -> None:
    data = built.pdf.read_bytes()
    report = verify_pdf(data, trust=TrustSettings.bundled().for_document(data), name=str(built.pdf))
    sigs = [s for s in report.signatures if s.kind == "signature"]
    assert report.verdict == "untrusted", report.summary("en")
    assert "untrusted" not in _codes(sigs[0].problems)  # the VGCA signature: Desk's store confirms it
    for s in sigs:
        assert s.intact and not (_codes(s.problems) & BAD_CODES), report.summary("en")
    assert all("untrusted" in _codes(s.problems) for s in sigs[1:]), report.summary("en")
