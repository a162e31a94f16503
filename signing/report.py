"""Human-readable verification summaries (Vietnamese by default, English on request)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from .appearance import VN_TZ
from .messages import MOD_TEXT
from .revisions import KIND_TEXT

Msg = tuple[str, str, str]  # (code, vi, en)


class SignatureView(Protocol):
    """What a summary reads of one signature (verify.SignatureReport); kept here so that
    this module does not import verify, which renders its summaries through it."""

    @property
    def index(self) -> int: ...
    @property
    def field_name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def signer(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def signing_time(self) -> datetime | None: ...
    @property
    def timestamp_time(self) -> datetime | None: ...
    @property
    def timestamp_status(self) -> str: ...
    @property
    def timestamp_authority(self) -> str: ...
    @property
    def proof_added_at(self) -> datetime | None: ...
    @property
    def intact(self) -> bool: ...
    @property
    def trusted(self) -> bool: ...
    @property
    def revocation(self) -> str: ...
    @property
    def revocation_source(self) -> str: ...
    @property
    def revocation_date(self) -> datetime | None: ...
    @property
    def modification(self) -> str: ...
    @property
    def changes(self) -> Sequence[str]: ...
    @property
    def filled_fields(self) -> Sequence[str]: ...
    @property
    def covers_whole_file(self) -> bool: ...
    @property
    def level(self) -> str: ...
    @property
    def problems(self) -> Sequence[Msg]: ...
    @property
    def warnings(self) -> Sequence[Msg]: ...
    @property
    def verdict(self) -> str: ...


class ReportView(Protocol):
    """What a summary reads of a file's report (verify.VerificationReport)."""

    @property
    def path(self) -> str: ...
    @property
    def signatures(self) -> Sequence[SignatureView]: ...
    @property
    def problems(self) -> Sequence[Msg]: ...
    @property
    def verdict(self) -> str: ...


_VERDICT = {
    "valid": ("HỢP LỆ", "VALID"),
    "untrusted": ("TOÀN VẸN NHƯNG CHƯA XÁC NHẬN ĐƯỢC NGƯỜI KÝ", "INTACT, SIGNER NOT CONFIRMED"),
    "invalid": ("KHÔNG HỢP LỆ", "INVALID"),
    "unsigned": ("KHÔNG CÓ CHỮ KÝ", "NOT SIGNED"),
}
_REVOCATION = {
    "good": ("chưa bị thu hồi", "not revoked"),
    "revoked": ("ĐÃ BỊ THU HỒI", "REVOKED"),
    "unknown": ("chưa xác định được", "could not be established"),
    "not_checked": ("chưa kiểm tra", "not checked"),
}
_SOURCE = {"online": ("kiểm tra trực tuyến", "checked online"),
           "dss": ("theo dữ liệu lưu trong tệp", "from the data stored in the file"),
           "cache": ("theo dữ liệu thu hồi đã lưu trên máy", "from the revocation information kept on this computer"),
           "none": ("", "")}


def _t(d: datetime | None) -> str:
    if d is None:
        return "—"
    return d.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S") + " (GMT+7)"


def _d(d: datetime) -> str:
    return d.astimezone(VN_TZ).strftime("%d/%m/%Y")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _timestamp(s: SignatureView, lang: str) -> str:
    """Exactly one of: absent; present and confirmed; present, not confirmed; invalid."""
    en = lang == "en"
    state = s.timestamp_status
    if state == "none" or s.timestamp_time is None:
        return "none" if en else "không có"
    by = f", {'issued by' if en else 'do'} {s.timestamp_authority}" if s.timestamp_authority else ""
    word = {"confirmed": ("đã xác nhận", "confirmed"),
            "unconfirmed": ("có, nhưng chưa xác nhận được đơn vị cấp", "present, authority not confirmed"),
            "invalid": ("KHÔNG HỢP LỆ", "INVALID")}[state]
    return f"{_t(s.timestamp_time)} ({_pick(word, lang)}{by})"


def _changes(s: SignatureView, lang: str) -> str:
    if s.modification in ("unsafe", "unchecked") or not s.changes:
        return _pick(MOD_TEXT[s.modification], lang)
    parts = []
    for kind in s.changes:
        text = _pick(KIND_TEXT[kind], lang)
        if kind == "form_fill" and s.filled_fields:
            text += f" ({', '.join(s.filled_fields)})"
        parts.append(text)
    return "; ".join(parts)


def _signature_lines(s: SignatureView, lang: str) -> list[str]:
    en = lang == "en"
    verdict = _pick(_VERDICT[s.verdict], lang)
    if s.kind == "document_timestamp":
        head = f"{'Document timestamp' if en else 'Dấu thời gian tài liệu'} {s.index + 1} ({s.field_name}): {verdict}"
        lines = [head, f"  {'Time' if en else 'Thời điểm'}: {_t(s.timestamp_time)}",
                 f"  {'Issued by' if en else 'Đơn vị cấp'}: {s.signer}"]
    else:
        head = f"{'Signature' if en else 'Chữ ký'} {s.index + 1} ({s.field_name}): {verdict}"
        org = f" — {s.organisation}" if s.organisation and s.organisation != s.signer else ""
        claimed = "(claimed by the signer's computer)" if en else "(theo máy người ký)"
        lines = [head,
                 f"  {'Signer' if en else 'Người ký'}: {s.signer}{org}",
                 f"  {'Certificate issuer' if en else 'Tổ chức cấp chứng thư'}: {s.issuer}",
                 f"  {'Signing time' if en else 'Thời gian ký'}: {_t(s.signing_time)} {claimed}"]
        lines.append(f"  {'Timestamp' if en else 'Dấu thời gian'}: {_timestamp(s, lang)}")
        if s.proof_added_at is not None:
            lines.append(f"  {'Proof added later (document timestamp)' if en else 'Bằng chứng bổ sung sau (dấu thời gian tài liệu)'}"
                         f": {_t(s.proof_added_at)}")
        integrity = (("intact" if s.intact else "CHANGED") if en
                     else ("nội dung không bị thay đổi" if s.intact else "NỘI DUNG ĐÃ BỊ THAY ĐỔI"))
        lines.append(f"  {'Integrity' if en else 'Toàn vẹn'}: {integrity}")
        trust = (("trusted" if s.trusted else "not trusted") if en
                 else ("tin cậy (đến chứng thư gốc đã cài)" if s.trusted else "chưa tin cậy"))
        lines.append(f"  {'Trust' if en else 'Tin cậy'}: {trust}")
        source = _pick(_SOURCE[s.revocation_source], lang)
        if s.revocation_source == "cache" and s.revocation_date is not None:
            fetched = "fetched on" if en else "lấy ngày"
            source += f", {fetched} {_d(s.revocation_date)}"
        lines.append(f"  {'Revocation' if en else 'Thu hồi'}: {_pick(_REVOCATION[s.revocation], lang)}"
                     + (f" ({source})" if source else ""))
        lines.append(f"  {'Changes after signing' if en else 'Thay đổi sau khi ký'}: {_changes(s, lang)}")
        cover = (("whole file" if s.covers_whole_file else "part of the file; later revisions checked above")
                 if en else ("toàn bộ tệp" if s.covers_whole_file
                             else "một phần tệp; các lần cập nhật sau đã được kiểm tra ở trên"))
        lines.append(f"  {'Coverage' if en else 'Phạm vi ký'}: {cover}")
        if s.level:
            lines.append(f"  {'Level' if en else 'Mức'}: PAdES {s.level}")
    for _, vi, en_text in s.problems:
        lines.append(f"  ✗ {en_text if en else vi}")
    for _, vi, en_text in s.warnings:
        lines.append(f"  ! {en_text if en else vi}")
    return lines


def render_summary(report: ReportView, lang: str = "vi") -> str:
    en = lang == "en"
    n_sig = sum(1 for s in report.signatures if s.kind == "signature")
    n_ts = len(report.signatures) - n_sig
    head = (f"{report.path}: {_pick(_VERDICT[report.verdict], lang)} — "
            + (f"{n_sig} signature(s), {n_ts} document timestamp(s)" if en
               else f"{n_sig} chữ ký, {n_ts} dấu thời gian tài liệu"))
    lines = [head]
    for _, vi, en_text in report.problems:
        lines.append(f"  ✗ {en_text if en else vi}")
    for s in report.signatures:
        lines.extend(_signature_lines(s, lang))
    return "\n".join(lines)
