"""Plain views of a package: a JSON-ready dict and a human-readable summary."""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sync.edxml.model import Package, StatusHeader


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name.rstrip("_"): _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.strftime("%Y/%m/%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y/%m/%d")
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def package_dict(pkg: Package) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": pkg.kind}
    d.update(_plain(pkg))
    return d


def _d(v: date | None) -> str:
    return v.strftime("%d/%m/%Y") if v else "—"


_STATUS_NAMES = {
    "01": ("đã đến", "arrived"),
    "02": ("từ chối tiếp nhận", "refused"),
    "03": ("đã tiếp nhận", "accepted"),
    "04": ("phân công", "assigned"),
    "05": ("đang xử lý", "in progress"),
    "06": ("hoàn thành", "done"),
    "13": ("thu hồi", "revoke"),
    "15": ("đồng ý thu hồi/cập nhật", "agree to revoke/update"),
    "16": ("từ chối thu hồi/cập nhật", "refuse to revoke/update"),
}
_BUSINESS_NAMES = {
    0: ("văn bản mới", "new document"),
    1: ("thu hồi", "revoke"),
    2: ("cập nhật", "update"),
    3: ("thay thế", "replace"),
}


def package_summary(pkg: Package) -> list[str]:
    """Lines for ``desk edxml show``: labels in the chosen language (Vietnamese by default),
    dates dd/MM/yyyy."""
    from desk.i18n import t

    h = pkg.header
    kind = t("trạng thái", "status") if pkg.kind == "status" else t("văn bản", "document")
    lines = [f"{t('Loại gói tin', 'Package kind')}: {kind}"]
    lines.append(f"{t('Nơi gửi', 'From')}: {h.from_.organ_id} {h.from_.organ_name}".rstrip())
    if isinstance(h, StatusHeader):
        vi, en = _STATUS_NAMES.get(h.status_code.value, (h.status_code.name, h.status_code.name))
        lines += [
            f"{t('Phản hồi cho', 'In response to')}: {h.response_for.organ_id} · "
            f"{h.response_for.document_id}",
            f"{t('Mã trạng thái', 'Status code')}: {h.status_code.value} ({t(vi, en)})",
            f"{t('Mô tả', 'Description')}: {h.description}",
            f"{t('Thời điểm', 'Time')}: "
            f"{h.timestamp.strftime('%d/%m/%Y %H:%M:%S') if h.timestamp else '—'}",
        ]
        if h.staff_info is not None:
            staff = " · ".join(p for p in (h.staff_info.department, h.staff_info.staff) if p)
            lines.append(f"{t('Người xử lý', 'Staff')}: {staff or '—'}")
    else:
        lines += [f"{t('Nơi nhận', 'To')}: {o.organ_id} {o.organ_name}".rstrip() for o in h.to]
        lines += [
            f"DocumentId: {h.document_id}",
            f"{t('Số, ký hiệu', 'Number and notation')}: {h.code.code_number}/{h.code.code_notation}",
            f"{t('Ban hành', 'Issued')}: {h.promulgation_info.place}, "
            f"{_d(h.promulgation_info.promulgation_date)}",
            f"{t('Loại văn bản', 'Document type')}: {h.document_type.type_name}",
            f"{t('Trích yếu', 'Subject')}: {h.subject}",
            f"{t('Người ký', 'Signed by')}: "
            f"{h.signer_info.competence} {h.signer_info.position} {h.signer_info.full_name}".strip(),
            f"{t('Hạn xử lý', 'Due date')}: {_d(h.due_date)}",
        ]
    b = pkg.trace.business
    if b is not None:
        vi, en = _BUSINESS_NAMES.get(int(b.doc_type), (b.doc_type.name, b.doc_type.name))
        target = f" → {b.document_id}" if b.document_id else ""
        lines.append(
            f"{t('Nghiệp vụ', 'Business')}: {t(vi, en)} ({int(b.doc_type)}){target} {b.reason}".rstrip()
        )
    signed = t("có (chưa kiểm tra)", "yes (not verified)") if pkg.signed else t("không", "no")
    lines.append(f"{t('Chữ ký XML', 'XML signature')}: {signed}")
    lines.append(f"{t('Tệp đính kèm', 'Attachments')}: {len(pkg.attachments)}")
    for a in pkg.attachments:
        lines.append(f"  - {a.name} [{a.content_type}] {a.size} {t('byte', 'bytes')} sha256={a.sha256}")
    return lines
