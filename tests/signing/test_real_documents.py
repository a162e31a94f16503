"""Verdicts on real documents signed through the Government CA (tests/data/real/signed).

No trust anchor is installed here: the signers' chains are not embedded in the
files, so the right verdict is "intact, signer not confirmed" with every change
after signing named and allowed. Trust with the shipped Vietnamese store is
issue 12's other half (resources/trust/) and is asserted where that store lives.
"""

from __future__ import annotations

import hashlib
import io
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.pdfread import DeskPdfReader, open_reader
from signing.revisions import analyse_revisions
from signing.trust import TrustSettings
from signing.verify import SignatureReport, VerificationReport, _expiry_notes, verify_pdf
from tests.support import pki

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "signed"
MANIFEST = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))["document"]
DOCS = {d["file"]: d for d in MANIFEST}
BAD_CODES = {"tampered", "modified", "bad_signature", "not_covered", "bad_timestamp", "not_whole_file",
             "changes_unchecked", "unreadable"}


@pytest.fixture(scope="module")
def reports() -> dict[str, VerificationReport]:
    return {name: verify_pdf(REAL / name, trust=TrustSettings()) for name in DOCS}


def _codes(items: list[tuple[str, str, str]]) -> set[str]:
    return {c for c, _, _ in items}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_sample_is_byte_for_byte_as_published(name: str) -> None:
    assert hashlib.sha256((REAL / name).read_bytes()).hexdigest() == DOCS[name]["sha256"]


@pytest.mark.parametrize("name", sorted(DOCS))
def test_real_document_is_intact_with_changes_named(name: str, reports: dict[str, VerificationReport]) -> None:
    doc, report = DOCS[name], reports[name]
    assert report.verdict == doc["verdict_without_anchors"], report.summary("en")
    sigs = [s for s in report.signatures if s.kind == "signature"]
    assert len(sigs) == doc["signatures"]
    for s in sigs:
        assert s.intact and s.valid, report.summary("en")
        assert not (_codes(s.problems) & BAD_CODES), report.summary("en")
        assert s.modification not in ("unsafe", "unchecked")
        assert "untrusted" in _codes(s.problems)  # chain not installed: "not confirmed", never "invalid"
    assert sigs[0].changes == doc["changes_after_signature_1"], report.summary("en")
    if "changes_after_signature_3" in doc:
        assert sigs[2].changes == doc["changes_after_signature_3"]
    # poppler agrees on integrity, signature by signature
    out = pki.pdfsig(REAL / name)
    assert out.count("Signature is Valid.") == doc["signatures"], out
    assert "Digest Mismatch" not in out


def test_changes_are_named_in_both_languages(reports: dict[str, VerificationReport]) -> None:
    report = reports["vinhlong-811-bc-ubnd-6sig.pdf"]
    en, vi = report.summary("en"), report.summary("vi")
    assert "Changes after signing: later signatures; document structure only" in en
    assert "Thay đổi sau khi ký: ký thêm (các chữ ký sau); chỉ thay đổi cấu trúc tài liệu" in vi
    assert "Changes after signing: no changes" in en  # the last signature covers the whole file
    for word in ("Chữ ký", "Người ký", "Dấu thời gian", "Toàn vẹn", "Thay đổi", "chưa", "không"):
        assert word not in en.replace("ỦY BAN NHÂN DÂN", ""), word  # English is complete
    assert "INTACT, SIGNER NOT CONFIRMED" in en and "TOÀN VẸN NHƯNG CHƯA XÁC NHẬN ĐƯỢC NGƯỜI KÝ" in vi


def _timestamp_line(text: str, index: int) -> str:
    block = text.split(f"Signature {index + 1} (")[1].split("\nSignature ")[0]
    return next(line for line in block.splitlines() if line.strip().startswith("Timestamp:"))


@pytest.mark.parametrize("name", sorted(DOCS))
def test_timestamp_is_absent_or_present_never_both(name: str, reports: dict[str, VerificationReport]) -> None:
    report = reports[name]
    en = report.summary("en")
    for s in report.signatures:
        if s.kind != "signature":
            continue
        line = _timestamp_line(en, s.index)
        codes = _codes(s.warnings) | _codes(s.problems)
        if s.timestamp_time is None:
            assert s.timestamp_status == "none" and line.endswith("none")
            assert "proof_pending" in codes and s.level == "B-B"
        else:
            # intact tokens from an authority whose root is not installed: present, not confirmed
            assert s.timestamp_status == "unconfirmed", line
            assert re.search(r"present, authority not confirmed, issued by Máy chủ cấp dấu thời gian (HL)?0[12]\)", line)
            assert "INVALID" not in line and "proof_pending" not in codes and "No timestamp" not in en.split(
                f"Signature {s.index + 1} (")[1].split("\nSignature ")[0]
            assert s.level == "B-T"
            assert "untrusted_timestamp" in codes


def test_sha1_signatures_are_valid_under_the_rules_of_their_time(reports: dict[str, VerificationReport]) -> None:
    report = reports["vinhlong-293-bc-snv-sha1.pdf"]
    en = report.summary("en")
    for s in report.signatures:
        assert s.weak_algorithms == ["SHA-1"]
        assert "weak_algorithm" in _codes(s.warnings)
        assert s.valid and s.intact
    assert "Valid under the rules of its time; the algorithm (SHA-1) is now considered weak." in en
    assert "no longer accepted" not in en
    assert "thuật toán SHA-1 nay đã được coi là yếu" in report.summary("vi")
    # SHA-256 signatures carry no such note
    assert all(not s.weak_algorithms for s in reports["vinhlong-811-bc-ubnd-6sig.pdf"].signatures)


def test_expired_certificate_with_timestamp_inside_validity(reports: dict[str, VerificationReport]) -> None:
    first = reports["vinhlong-301-bc-stp.pdf"].signatures[0]
    assert first.certificate_valid_until is not None and first.timestamp_time is not None
    assert first.timestamp_time < first.certificate_valid_until  # 29/04/2026 < 21/05/2026
    # the TSA's root is not installed here: said, not hidden
    assert "signed_while_valid_unconfirmed" in _codes(first.warnings)
    text = dict((c, en) for c, _, en in first.warnings)["signed_while_valid_unconfirmed"]
    assert "expired on 21/05/2026" in text and "29/04/2026" in text


def test_expired_certificate_without_timestamp_says_what_cannot_be_confirmed() -> None:
    reader = PdfFileReader(io.BytesIO((REAL / "vinhlong-811-bc-ubnd-6sig.pdf").read_bytes()), strict=False)
    cert = reader.embedded_signatures[0].signer_cert  # signature 1 has no timestamp
    rep = SignatureReport(index=0, field_name="Signature1", kind="signature", signer="", organisation="",
                          issuer="", serial="1", signing_time=None, timestamp_time=None, timestamp_ok=None,
                          intact=True, valid=True, trusted=False, revocation="not_checked",
                          revocation_source="none", modification="none", covers_whole_file=False, level="")
    later = cert.not_valid_after + timedelta(days=1)
    _expiry_notes(rep, cert, "none", None, later)
    (code, vi, en), = rep.warnings
    assert code == "expired_unproven"
    assert "cannot confirm the signature was made before then" in en
    assert "không xác nhận được chữ ký được tạo trước ngày đó" in vi
    rep.warnings.clear()
    _expiry_notes(rep, cert, "none", None, cert.not_valid_after - timedelta(days=1))
    assert rep.warnings == []  # not expired: nothing to say


@pytest.mark.parametrize("name", ["vinhlong-91-cttdt-bbt.pdf", "vinhlong-811-bc-ubnd-6sig.pdf"])
def test_usage_map_is_pyhankos(name: str) -> None:
    """Desk's usage map (signing.pdfread) equals pyHanko's on every revision."""
    data = (REAL / name).read_bytes()
    ours, theirs = DeskPdfReader(io.BytesIO(data)), PdfFileReader(io.BytesIO(data), strict=False)
    checked = 0
    for rev in range(1, ours.xrefs.total_revisions):
        a, b = ours.get_historical_resolver(rev), theirs.get_historical_resolver(rev)
        a._load_reverse_xref_cache()
        b._load_reverse_xref_cache()
        assert a._indirect_object_access_cache == b._indirect_object_access_cache, rev
        checked += 1
    assert checked == ours.xrefs.total_revisions - 1


def test_each_update_is_analysed_once() -> None:
    reader = open_reader((REAL / "vinhlong-811-bc-ubnd-6sig.pdf").read_bytes())
    sigs = list(reader.embedded_signatures)
    analysis = analyse_revisions(reader, sigs)
    first = min(s.signed_revision for s in sigs)
    assert sorted(analysis.changes) == list(range(first + 1, reader.xrefs.total_revisions))
    assert all(c.level is not None for c in analysis.changes.values())
    zero = analyse_revisions(open_reader((REAL / "vinhlong-811-bc-ubnd-6sig.pdf").read_bytes()), sigs,
                             budget_seconds=0.0)
    assert zero.changes == {}
    report = verify_pdf(REAL / "vinhlong-811-bc-ubnd-6sig.pdf", trust=TrustSettings())
    assert report.signatures[-1].modification == "none"  # nothing after the last signature to analyse


def test_analysis_budget_is_reported_not_hidden() -> None:
    import asyncio

    from signing.verify import async_verify_pdf

    report = asyncio.run(async_verify_pdf(REAL / "vinhlong-91-cttdt-bbt.pdf", trust=TrustSettings(),
                                          budget_seconds=0.0))
    first = report.signatures[0]
    assert first.modification == "unchecked"
    assert "changes_unchecked" in _codes(first.problems)
    assert report.verdict == "untrusted"  # not "valid", not "invalid": not confirmed
    assert re.search(r"Not every update after signing could be analysed", report.summary("en"))
