"""Reference data from Decree 30/2020/NĐ-CP and QCVN 102:2016 (see shared/spec/vn-standards.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from desk.errors import ValidationError


@dataclass(frozen=True, slots=True)
class DocType:
    code: str  # stable identifier used in the database
    name: str  # Vietnamese name as printed on the document
    abbreviation: str  # App. III abbreviation; "" for types that carry none (Công văn, Thư công)
    edxml_type: int  # DocumentType.Type; the official code table is unconfirmed (spec §1 [U])


# Art. 7 lists 29 types, App. III gives the abbreviations. The edXML numeric
# type table is not published in a text we could confirm, so we number the types
# in Art. 7 order (1..29); implementations seen in the wild use 1 for Công văn.
ADMIN_DOC_TYPES: tuple[DocType, ...] = (
    DocType("CV", "Công văn", "", 1),
    DocType("NQ", "Nghị quyết", "NQ", 2),
    DocType("QD", "Quyết định", "QĐ", 3),
    DocType("CT", "Chỉ thị", "CT", 4),
    DocType("QC", "Quy chế", "QC", 5),
    DocType("QYD", "Quy định", "QyĐ", 6),
    DocType("TC", "Thông cáo", "TC", 7),
    DocType("TB", "Thông báo", "TB", 8),
    DocType("HD", "Hướng dẫn", "HD", 9),
    DocType("CTR", "Chương trình", "CTr", 10),
    DocType("KH", "Kế hoạch", "KH", 11),
    DocType("PA", "Phương án", "PA", 12),
    DocType("DA_DEAN", "Đề án", "ĐA", 13),
    DocType("DA_DUAN", "Dự án", "DA", 14),
    DocType("BC", "Báo cáo", "BC", 15),
    DocType("BB", "Biên bản", "BB", 16),
    DocType("TTR", "Tờ trình", "TTr", 17),
    DocType("HDONG", "Hợp đồng", "HĐ", 18),
    DocType("CD", "Công điện", "CĐ", 19),
    DocType("BGN", "Bản ghi nhớ", "BGN", 20),
    DocType("BTT", "Bản thỏa thuận", "BTT", 21),
    DocType("GUQ", "Giấy ủy quyền", "GUQ", 22),
    DocType("GM", "Giấy mời", "GM", 23),
    DocType("GGT", "Giấy giới thiệu", "GGT", 24),
    DocType("GNP", "Giấy nghỉ phép", "GNP", 25),
    DocType("PG", "Phiếu gửi", "PG", 26),
    DocType("PC", "Phiếu chuyển", "PC", 27),
    DocType("PB", "Phiếu báo", "PB", 28),
    DocType("THC", "Thư công", "", 29),
)
# Legal normative documents (Law on Promulgation of Legal Documents): their own types,
# numbered 30 on (the edXML table is unconfirmed, as above). Nghị quyết and Quyết định
# share the administrative codes; a Quyết định of the Prime Minister is a QĐ with "-TTg".
NORMATIVE_DOC_TYPES: tuple[DocType, ...] = (
    DocType("HP", "Hiến pháp", "HP", 30),
    DocType("BLUAT", "Bộ luật", "BL", 31),
    DocType("LUAT", "Luật", "L", 32),
    DocType("PL", "Pháp lệnh", "PL", 33),
    DocType("LENH", "Lệnh", "L-CTN", 34),
    DocType("ND", "Nghị định", "NĐ", 35),
    DocType("TT", "Thông tư", "TT", 36),
    DocType("TTLT", "Thông tư liên tịch", "TTLT", 37),
    DocType("NQLT", "Nghị quyết liên tịch", "NQLT", 38),
    DocType("VBHN", "Văn bản hợp nhất", "VBHN", 39),
)
DOC_TYPES: tuple[DocType, ...] = ADMIN_DOC_TYPES + NORMATIVE_DOC_TYPES
DOC_TYPES_BY_CODE = {d.code: d for d in DOC_TYPES}
COPY_ABBREVIATIONS = {"SY": "Sao y", "SL": "Sao lục", "TrS": "Trích sao"}


def doc_type(code: str) -> DocType:
    try:
        return DOC_TYPES_BY_CODE[code]
    except KeyError:
        raise ValidationError(
            f"Loại văn bản không hợp lệ: {code!r}.",
            f"Unknown document type: {code!r}.",
        ) from None


def doc_type_by_name(name: str) -> DocType | None:
    from desk.textfold import fold

    key = fold(name)
    for d in DOC_TYPES:
        if fold(d.name) == key:
            return d
    return None


def doc_type_by_abbreviation(abbr: str) -> DocType | None:
    """The type whose App. III abbreviation (or normative notation) is ``abbr`` ("QĐ", "NĐ", "TTLT")."""
    from desk.textfold import fold

    key = fold(abbr.strip())
    if not key:
        return None
    for d in DOC_TYPES:
        if d.abbreviation and fold(d.abbreviation) == key and d.code not in ("LUAT", "LENH", "BLUAT"):
            return d
    return None


class Urgency(IntEnum):
    """edXML OtherInfo/Priority codes."""

    NORMAL = 0
    URGENT = 1  # khẩn
    VERY_URGENT = 2  # thượng khẩn
    FLASH = 3  # hỏa tốc
    FLASH_TIMED = 4  # hỏa tốc hẹn giờ

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self]


URGENCY_LABELS = {
    Urgency.NORMAL: "Thường",
    Urgency.URGENT: "Khẩn",
    Urgency.VERY_URGENT: "Thượng khẩn",
    Urgency.FLASH: "Hỏa tốc",
    Urgency.FLASH_TIMED: "Hỏa tốc hẹn giờ",
}


class Confidentiality(IntEnum):
    NORMAL = 0
    SECRET = 1  # mật
    TOP_SECRET = 2  # tối mật
    ULTRA_SECRET = 3  # tuyệt mật

    @property
    def label(self) -> str:
        return CONFIDENTIALITY_LABELS[self]


CONFIDENTIALITY_LABELS = {
    Confidentiality.NORMAL: "Thường",
    Confidentiality.SECRET: "Mật",
    Confidentiality.TOP_SECRET: "Tối mật",
    Confidentiality.ULTRA_SECRET: "Tuyệt mật",
}


class Role(StrEnum):
    CLERK = "van_thu"
    LEADER = "lanh_dao"
    SPECIALIST = "chuyen_vien"

    @property
    def label(self) -> str:
        return {"van_thu": "Văn thư", "lanh_dao": "Lãnh đạo", "chuyen_vien": "Chuyên viên"}[self.value]


class AssignmentRole(StrEnum):
    LEAD = "chu_tri"
    SUPPORT = "phoi_hop"
    INFO = "de_biet"

    @property
    def label(self) -> str:
        return {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp", "de_biet": "Để biết"}[self.value]


# QCVN 102 organisation identifiers: V1V2V3.Z1Z2.Y1Y2.L1 where the level-1 code
# (rightmost) is a letter and two digits, e.g. 000.00.00.H49 (UBND tỉnh Quảng Ninh).
# That is exactly 13 characters, the OrganId length of Decree 30 App. VI.
# SĐ1:2022 (via QĐ 20/2020/QĐ-TTg) allows longer codes of dot-separated groups of
# 0-9 and A-Z up to 35 characters; its full grammar is unconfirmed (spec §1 [P]),
# so we accept that wider form only as "extended" and say so in the message.
_ORG_ID_102 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
# Deeper hierarchies (more than four levels) in the same shape: groups of digits,
# the level-1 letter code last.
_ORG_ID_QD20 = re.compile(r"^([0-9]{1,5}\.){4,}[A-Z]\d{2}$")


def validate_org_id(value: str, *, allow_extended: bool = True) -> str:
    """Return the normalised organisation ID or raise ValidationError."""
    v = value.strip().upper()
    if _ORG_ID_102.match(v):
        return v
    if allow_extended and len(v) <= 35 and _ORG_ID_QD20.match(v):
        return v
    raise ValidationError(
        f"Mã định danh cơ quan {value!r} không đúng định dạng QCVN 102 "
        "(ví dụ: 000.00.00.H49 — ba chữ số, hai chữ số, hai chữ số, một chữ cái và hai chữ số, "
        "ngăn cách bằng dấu chấm).",
        f"Organisation ID {value!r} is not in QCVN 102 format "
        "(e.g. 000.00.00.H49: three digits, two digits, two digits, a letter and two digits, "
        "separated by dots).",
        code="bad_org_id",
    )


def format_number(n: int) -> str:
    """Decree 30: numbers below 10 carry a leading zero (01 … 09, 10, 11 …)."""
    return f"{n:02d}"


def format_code(number: str | None, notation: str | None) -> str:
    """Số và ký hiệu as printed: ``15/QĐ-UBND``."""
    if not number:
        return notation or ""
    return f"{number}/{notation}" if notation else number


_CODE_SPACES = re.compile(r"\s*([/-])\s*")


def normalize_code(text: str) -> str:
    """Remove the stray spaces published text layers put in số/ký hiệu (``507 /UBND-KGVX``)."""
    return _CODE_SPACES.sub(r"\1", text.strip())
