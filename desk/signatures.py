"""Signature verdicts recorded when a document enters the office.

Every way in (``desk import``, the app's import and scan, the exchange) checks the
PDFs' signatures with the office's trust settings (:func:`office_trust`) before the
document is stored, and puts the verdict and its reasons into the receiving event
(``document_events.data["signatures"]``, keyed by file name). ``desk show``, the
app's signature panel and the JSON output read them back with :func:`recorded`.

The record of one file::

    {"verdict": "valid" | "untrusted" | "invalid" | "unsigned" | "unreadable",
     "signatures": 2, "checked_at": "2026-12-01T09:30:00+07:00", "online": false,
     "trust": "Chứng thư tin cậy: 7 của Desk, 1 của đơn vị",
     "reasons": [{"signature": 1, "code": "untrusted", "vi": "...", "en": "...", "severity": "problem"}],
     "signers": [{"index": 1, "kind": "signature", "signer": "...", "organisation": "...",
                  "issuer": "...", "verdict": "valid", "time": "...", "timestamp": true,
                  "changes_after": "none", "level": "B-T"}],
     "summary": "<the Vietnamese text desk verify prints>", "summary_en": "..."}
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.clock import VN_TZ, now

if TYPE_CHECKING:
    from desk.models import Document
    from desk.office import Office
    from signing.trust import TrustSettings

SIGNED_MARK = b"/ByteRange"
log = logging.getLogger(__name__)


def office_trust(office: Office | Path | str | None) -> TrustSettings:
    """The office's one trust object: Desk's store + the office's and province's anchors + cache."""
    from signing.trust import office_trust as _office_trust

    if office is None:
        return _office_trust(None)
    home = office.paths.home if hasattr(office, "paths") else Path(office)
    return _office_trust(home)


def _iso(d: datetime | None) -> str | None:
    if d is None:
        return None
    return d.astimezone(VN_TZ).isoformat() if d.tzinfo else d.isoformat()


def record_of(report: Any, trust: TrustSettings, *, online: bool = False) -> dict[str, Any]:
    """What is kept of one verification report."""
    reasons: list[dict[str, Any]] = [
        {"signature": None, "code": c, "vi": vi, "en": en, "severity": "problem"}
        for c, vi, en in report.problems if c != "unsigned"]
    signers = []
    for s in report.signatures:
        for severity, items in (("problem", s.problems), ("warning", s.warnings)):
            reasons.extend({"signature": s.index + 1, "code": c, "vi": vi, "en": en, "severity": severity}
                           for c, vi, en in items)
        signers.append({
            "index": s.index + 1, "kind": s.kind, "field": s.field_name, "signer": s.signer,
            "organisation": s.organisation, "issuer": s.issuer, "verdict": s.verdict,
            "time": _iso(s.timestamp_time or s.signing_time), "timestamp": s.timestamp_time is not None,
            "trusted": s.trusted, "intact": s.intact, "changes_after": s.modification, "level": s.level,
        })
    return {
        "verdict": report.verdict,
        "signatures": sum(1 for s in report.signatures if s.kind == "signature"),
        "checked_at": _iso(now()), "online": online,
        "trust": trust.describe("vi"), "trust_en": trust.describe("en"),
        "reasons": reasons, "signers": signers,
        "summary": report.summary("vi"), "summary_en": report.summary("en"),
    }


def check_file(path: Path, trust: TrustSettings, *, online: bool = False, name: str | None = None
               ) -> dict[str, Any]:
    """Verify one PDF's signatures with ``trust`` (plus what the file carries, the cache and,
    when ``online``, AIA); never raises for a bad file."""
    label = name or path.name
    try:
        # An unsigned PDF (most of them) is told by a scan in blocks: a large one is never
        # held whole in memory only to learn that it carries no signature.
        data = path.read_bytes() if _has_mark(path, SIGNED_MARK) else b""
    except OSError as exc:
        return {"verdict": "unreadable", "signatures": 0, "checked_at": _iso(now()), "online": online,
                "reasons": [{"signature": None, "code": "unreadable", "vi": f"Không đọc được tệp: {exc.strerror}.",
                             "en": f"Cannot read the file: {exc.strerror}.", "severity": "problem"}],
                "signers": [], "summary": f"{label}: không đọc được tệp", "summary_en": f"{label}: unreadable"}
    if SIGNED_MARK not in data:
        return {"verdict": "unsigned", "signatures": 0, "checked_at": _iso(now()), "online": online,
                "reasons": [], "signers": [], "trust": trust.describe("vi"), "trust_en": trust.describe("en"),
                "summary": f"{label}: không có chữ ký số", "summary_en": f"{label}: not signed"}
    from signing.verify import verify_pdf  # the verifier (pyHanko) is loaded for signed files only

    try:
        doc_trust = trust.for_document(data, online=online)
        report = verify_pdf(data, trust=doc_trust, online=online, name=label)
    except Exception as exc:  # noqa: BLE001  (a file the verifier chokes on is reported, never fatal)
        log.exception("signature check of %s failed", label)
        return {"verdict": "unreadable", "signatures": 0, "checked_at": _iso(now()), "online": online,
                "reasons": [{"signature": None, "code": "unreadable", "vi": f"Không kiểm tra được chữ ký: {exc}",
                             "en": f"Could not check the signatures: {exc}", "severity": "problem"}],
                "signers": [], "summary": f"{label}: không kiểm tra được chữ ký",
                "summary_en": f"{label}: could not be checked"}
    return record_of(report, trust, online=online)


def _has_mark(path: Path, mark: bytes, block: int = 1 << 20) -> bool:
    """Whether the file holds ``mark``, read in blocks (overlapping by the mark's length)."""
    keep = len(mark) - 1
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(block):
            window = tail + chunk
            if mark in window:
                return True
            tail = window[-keep:] if keep else b""
    return False


def check_files(files: Sequence[tuple[str, Path]], trust: TrustSettings, *, online: bool = False
                ) -> dict[str, dict[str, Any]]:
    """Verdicts of the PDFs among ``files`` ((name, path) pairs), keyed by name."""
    return {name: check_file(path, trust, online=online, name=name)
            for name, path in files if name.lower().endswith(".pdf")}


def recorded(doc: Document) -> dict[str, dict[str, Any]]:
    """The verdicts recorded when ``doc`` entered the office (latest check last), by file name."""
    out: dict[str, dict[str, Any]] = {}
    for e in doc.events:
        data = e.data or {}
        sigs = data.get("signatures") if isinstance(data, dict) else None
        if isinstance(sigs, dict):
            for name, rec in sigs.items():
                if isinstance(rec, dict):
                    out[str(name)] = rec
    return out


VERDICT_TEXT = {
    "valid": ("hợp lệ", "valid"),
    "untrusted": ("toàn vẹn, chưa xác nhận được người ký", "intact, signer not confirmed"),
    "invalid": ("KHÔNG HỢP LỆ", "INVALID"),
    "unsigned": ("không có chữ ký số", "not signed"),
    "unreadable": ("không kiểm tra được", "could not be checked"),
}


def verdict_text(verdict: str, lang: str = "vi") -> str:
    vi, en = VERDICT_TEXT.get(verdict, (verdict, verdict))
    return en if lang == "en" else vi


def _display_time(value: object) -> str:
    """dd/MM/yyyy HH:MM of a recorded ISO time ('' when absent or unreadable)."""
    try:
        return datetime.fromisoformat(str(value)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return ""


def describe_record(name: str, rec: dict[str, Any], lang: str = "vi") -> list[str]:
    """Lines for ``desk show``: the verdict, who signed, and the reasons."""
    en = lang == "en"
    when = _display_time(rec.get("checked_at"))
    head = (f"{name}: {verdict_text(str(rec.get('verdict')), lang).upper() if rec.get('verdict') == 'invalid' else verdict_text(str(rec.get('verdict')), lang)}"
            f" ({rec.get('signatures', 0)} {'signature(s)' if en else 'chữ ký'}"
            f"{', checked ' if en else ', kiểm tra lúc '}{when})")
    lines = [head]
    for s in rec.get("signers", []):
        kind = ("document timestamp" if en else "dấu thời gian tài liệu") if s.get("kind") == "document_timestamp" \
            else (s.get("signer") or "")
        lines.append(f"    {s.get('index')}. {kind} — {verdict_text(str(s.get('verdict')), lang)}"
                     + (f" ({'issued by' if en else 'cấp bởi'} {s['issuer']})" if s.get("issuer") else ""))
    for r in rec.get("reasons", []):
        mark = "✗" if r.get("severity") == "problem" else "!"
        where = f"[{r['signature']}] " if r.get("signature") else ""
        lines.append(f"    {mark} {where}{r.get('en') if en else r.get('vi')}")
    trust = rec.get("trust_en") if en else rec.get("trust")
    if trust:
        lines.append(f"    {trust}")
    return lines
