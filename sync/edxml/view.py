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


def package_summary(pkg: Package) -> list[str]:
    """Lines for ``desk edxml show`` (labels in Vietnamese, dates dd/MM/yyyy)."""
    h = pkg.header
    lines = [f"Loại gói tin: {'trạng thái' if pkg.kind == 'status' else 'văn bản'}"]
    lines.append(f"Nơi gửi: {h.from_.organ_id} {h.from_.organ_name}".rstrip())
    if isinstance(h, StatusHeader):
        lines += [
            f"Phản hồi cho: {h.response_for.organ_id} · {h.response_for.document_id}",
            f"Mã trạng thái: {h.status_code.value} ({h.status_code.name})",
            f"Mô tả: {h.description}",
        ]
    else:
        lines += [f"Nơi nhận: {o.organ_id} {o.organ_name}".rstrip() for o in h.to]
        lines += [
            f"DocumentId: {h.document_id}",
            f"Số, ký hiệu: {h.code.code_number}/{h.code.code_notation}",
            f"Ban hành: {h.promulgation_info.place}, {_d(h.promulgation_info.promulgation_date)}",
            f"Loại văn bản: {h.document_type.type_name}",
            f"Trích yếu: {h.subject}",
            f"Người ký: {h.signer_info.competence} {h.signer_info.position} {h.signer_info.full_name}".strip(),
            f"Hạn xử lý: {_d(h.due_date)}",
        ]
    b = pkg.trace.business
    if b is not None:
        lines.append(
            f"Nghiệp vụ: {b.doc_type.name.lower()} ({int(b.doc_type)}) {b.reason}".rstrip()
        )
    lines.append(f"Chữ ký XML: {'có (chưa kiểm tra)' if pkg.signed else 'không'}")
    lines.append(f"Tệp đính kèm: {len(pkg.attachments)}")
    for a in pkg.attachments:
        lines.append(f"  - {a.name} [{a.content_type}] {a.size} byte sha256={a.sha256}")
    return lines
