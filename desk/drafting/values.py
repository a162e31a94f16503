"""The placeholder values of a new draft, from the document's metadata and the office.

The number and the date stay blank in a draft: the clerk's number and date are
written later onto the signed PDF (issue 6), so their places are kept open with
no-break spaces, which Word and LibreOffice neither collapse nor hang at a line
end, and which therefore keep the same room in the PDF.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.drafting.templates import TemplateSpec
from desk.models import Organization, Person
from desk.reference import doc_type
from desk.services.documents import DocumentInput
from desk.services.people import self_org

NBSP = "\u00a0"
# Room for up to 4 digits (Times 13 pt: a digit is 6.5 pt, a space 3.25 pt).
BLANK_NUMBER = NBSP * 10
BLANK_DAY = NBSP * 6
BLANK_MONTH = NBSP * 6
BLANK_YEAR = NBSP * 9
ELLIPSIS = "…"

# Every placeholder the shipped templates use, with what it holds (resources/templates/README.md).
PLACEHOLDERS: dict[str, str] = {
    "co_quan_chu_quan": "tên cơ quan chủ quản trực tiếp, in hoa (bỏ dòng nếu trống)",
    "co_quan": "tên cơ quan ban hành, in hoa",
    "so": "số văn bản (dự thảo: để trống, Văn thư cấp số khi phát hành)",
    "ky_hieu": "ký hiệu, ví dụ QĐ-UBND, UBND-NV",
    "dia_danh": "địa danh",
    "ngay": "ngày (dự thảo: để trống)",
    "thang": "tháng (dự thảo: để trống)",
    "nam": "năm (dự thảo: để trống)",
    "ten_loai": "tên loại văn bản, in hoa",
    "trich_yeu": "trích yếu nội dung",
    "kinh_gui": "dòng «Kính gửi: …» (mỗi nơi một dòng «- …;» khi gửi nhiều nơi)",
    "tham_quyen": "thẩm quyền ban hành (Quyết định)",
    "can_cu": "các căn cứ ban hành (Quyết định), mỗi căn cứ một dòng",
    "noi_dung": "nội dung, mỗi đoạn một dòng",
    "noi_nhan": "danh sách nơi nhận, mỗi nơi một dòng «- …;»",
    "luu": "chữ viết tắt đơn vị soạn thảo trong dòng «- Lưu: VT, …»",
    "quyen_han": "quyền hạn ký: TM. …, KT. …, Q. …, TL. …, TUQ. … (bỏ dòng nếu trống)",
    "chuc_vu": "chức vụ người ký, in hoa",
    "nguoi_ky": "họ tên người ký",
}

# App. I §II.2a: in the parent body's name "common phrases are abbreviated".
_PARENT_ABBREVIATIONS = (("ỦY BAN NHÂN DÂN", "UBND"), ("UỶ BAN NHÂN DÂN", "UBND"),
                         ("HỘI ĐỒNG NHÂN DÂN", "HĐND"))
_VV = re.compile(r"^\s*(v/v|về việc)\s*", re.IGNORECASE)
_DELEGATED = ("KT.", "Q.", "TL.", "TUQ.")


def notation_for(spec: TemplateSpec, org: Organization, unit_notation: str | None) -> str:
    """Ký hiệu (App. I §II.3b): type + organisation (QĐ-UBND); công văn: organisation + unit."""
    org_part = org.notation or ELLIPSIS
    if spec.type_name is None:
        return f"{org_part}-{unit_notation}" if unit_notation else org_part
    return f"{doc_type(spec.doc_type).abbreviation}-{org_part}"


def _kinh_gui(spec: TemplateSpec, names: list[str]) -> str:
    if not spec.kinh_gui:
        return ""
    if len(names) == 1:
        return f"Kính gửi: {names[0]}."
    if names:
        lines = [f"- {n};" for n in names]
        lines[-1] = lines[-1][:-1] + "."
        return "Kính gửi:\n" + "\n".join(lines)
    # Tờ trình and Báo cáo go to a higher level only sometimes; a công văn always has one.
    return f"Kính gửi: {ELLIPSIS}" if spec.type_name is None else ""


def _noi_nhan(spec: TemplateSpec, names: list[str]) -> str:
    lines: list[str] = []
    if spec.kinh_gui and names:
        lines.append("- Như trên;")  # those in "Kính gửi" are not listed again
    else:
        lines.extend(f"- {r};" for r in spec.first_recipients if r != "Như trên")
        lines.extend(f"- {n};" for n in names)
    return "\n".join(lines)


def parent_name(name: str) -> str:
    upper = name.upper()
    for long, short in _PARENT_ABBREVIATIONS:
        upper = upper.replace(long, short)
    return upper


def _authority(org_name: str, competence: str | None, position: str | None) -> str:
    """App. III note 6: the head's title, or the collective's name when it signs 'TM.'."""
    comp = (competence or "").strip()
    if comp.upper().startswith("TM."):
        return org_name.upper()
    for prefix in _DELEGATED:
        if comp.upper().startswith(prefix):
            head = comp[len(prefix):].strip()
            return f"{head} {org_name}".upper()
    if position:
        return f"{position} {org_name}".upper()
    return org_name.upper()


def draft_values(session: Session, data: DocumentInput, spec: TemplateSpec,
                 actor: Person | None, body: str = "") -> dict[str, str]:
    org = self_org(session)
    parent = None
    if org.parent_code:
        parent = session.scalars(
            select(Organization).where(Organization.code == org.parent_code)).first()
    unit = actor.unit if actor is not None else None
    unit_notation = unit.notation if unit is not None else None
    org_name = data.issuer_name or org.name
    names = [r.name for r in data.recipients]
    subject = data.subject
    if spec.type_name is None:
        subject = _VV.sub("", subject)  # the template prints "V/v" itself
    values = {
        "co_quan_chu_quan": parent_name(parent.name) if parent else "",
        "co_quan": org_name.upper(),
        "so": BLANK_NUMBER,
        "ky_hieu": data.notation or notation_for(spec, org, unit_notation),
        "dia_danh": data.place or org.place or ELLIPSIS,
        "ngay": BLANK_DAY,
        "thang": BLANK_MONTH,
        "nam": BLANK_YEAR,
        "ten_loai": spec.type_name or "",
        "trich_yeu": subject,
        "kinh_gui": _kinh_gui(spec, names),
        "tham_quyen": _authority(org_name, data.signer_competence, data.signer_position),
        "can_cu": "Căn cứ …;\nCăn cứ …;\nTheo đề nghị của … .",
        "noi_dung": body.strip("\n") or "\n".join(spec.default_body),
        "noi_nhan": _noi_nhan(spec, names),
        "luu": unit_notation or ELLIPSIS,
        "quyen_han": (data.signer_competence or "").upper(),
        "chuc_vu": (data.signer_position or ELLIPSIS).upper(),
        "nguoi_ky": data.signer_name or ELLIPSIS,
    }
    return values
