"""Field rules for edXML headers: lengths (Decree 30/2020 App. VI), formats, names.

The same checks run when a package is built and when one is read, so Desk never
sends what it would refuse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sync.edxml.model import MessageHeader, Organization, StatusHeader
from sync.errors import EdxmlError, edxml_error

# Decree 30 App. VI gives OrganId String(13); QCVN 102 SĐ1:2022 points to QĐ 20/2020,
# which allows up to 35 characters (the spec marks that [P]). We accept 35 so that the
# newer codes are not refused, and check the dot-separated shape instead.
ORGAN_ID_MAX = 35
ORGAN_ID_RE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")

# Decree 30/2020 App. VI (characters).
MAX_LEN: dict[str, int] = {
    "OrganId": ORGAN_ID_MAX,
    "CodeNumber": 11,
    "CodeNotation": 30,
    "OrganName": 200,
    "Subject": 500,
    "Position": 100,
    "FullName": 50,
    "ToPlaces": 1000,
}
# Fields App. VI does not size: generous caps so a hostile header cannot grow without end.
DEFAULT_MAX = 2000
CONTENT_MAX = 100_000
DOCUMENT_ID_MAX = 200
ATTACHMENT_NAME_MAX = 255

_WINDOWS_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
    | {"CONIN$", "CONOUT$", "COM0", "LPT0"}
)
_WINDOWS_FORBIDDEN = frozenset('<>"|?*')


@dataclass(frozen=True)
class FieldValue:
    name: str  # element name, as in the standard
    value: str
    limit: int


def _org_fields(prefix: str, org: Organization) -> Iterator[FieldValue]:
    yield FieldValue(f"{prefix}/OrganId", org.organ_id, MAX_LEN["OrganId"])
    yield FieldValue(f"{prefix}/OrganName", org.organ_name, MAX_LEN["OrganName"])
    yield FieldValue(
        f"{prefix}/OrganizationInCharge", org.organization_in_charge, MAX_LEN["OrganName"]
    )
    for name, value in (
        ("OrganAdd", org.organ_add),
        ("Email", org.email),
        ("Telephone", org.telephone),
        ("Fax", org.fax),
        ("Website", org.website),
    ):
        yield FieldValue(f"{prefix}/{name}", value, DEFAULT_MAX)


def _message_fields(h: MessageHeader) -> Iterator[FieldValue]:
    yield from _org_fields("From", h.from_)
    for org in h.to:
        yield from _org_fields("To", org)
    yield FieldValue("DocumentId", h.document_id, DOCUMENT_ID_MAX)
    yield FieldValue("Code/CodeNumber", h.code.code_number, MAX_LEN["CodeNumber"])
    yield FieldValue("Code/CodeNotation", h.code.code_notation, MAX_LEN["CodeNotation"])
    yield FieldValue("Subject", h.subject, MAX_LEN["Subject"])
    yield FieldValue("Content", h.content, CONTENT_MAX)
    yield FieldValue("SignerInfo/Position", h.signer_info.position, MAX_LEN["Position"])
    yield FieldValue("SignerInfo/FullName", h.signer_info.full_name, MAX_LEN["FullName"])
    yield FieldValue("SignerInfo/Competence", h.signer_info.competence, MAX_LEN["Position"])
    # App. VI sizes the recipient list ("Nơi nhận") as a whole.
    yield FieldValue("ToPlaces", "\n".join(h.to_places), MAX_LEN["ToPlaces"])
    for rf in h.response_for:
        yield FieldValue("ResponseFor/OrganId", rf.organ_id, MAX_LEN["OrganId"])
        yield FieldValue("ResponseFor/DocumentId", rf.document_id, DOCUMENT_ID_MAX)


def _status_fields(h: StatusHeader) -> Iterator[FieldValue]:
    yield from _org_fields("From", h.from_)
    yield FieldValue("ResponseFor/OrganId", h.response_for.organ_id, MAX_LEN["OrganId"])
    yield FieldValue("ResponseFor/DocumentId", h.response_for.document_id, DOCUMENT_ID_MAX)
    yield FieldValue("ResponseFor/Code", h.response_for.code, DEFAULT_MAX)
    yield FieldValue("Description", h.description, DEFAULT_MAX)


def check_organ_id(where: str, value: str, *, required: bool = True) -> None:
    if not value:
        if required:
            raise edxml_error(
                "edxml_missing_field",
                f"Thiếu mã định danh cơ quan ({where}/OrganId).",
                f"Missing organisation ID ({where}/OrganId).",
            )
        return
    if not ORGAN_ID_RE.match(value):
        raise edxml_error(
            "edxml_bad_organ_id",
            f"Mã định danh cơ quan không hợp lệ ở {where}: {value!r} (nhóm chữ số/chữ hoa cách nhau bởi dấu chấm).",
            f"Invalid organisation ID at {where}: {value!r} (dot-separated groups of 0-9 and A-Z).",
        )


def check_header(header: MessageHeader | StatusHeader) -> None:
    """Raise EdxmlError for the first rule the header breaks."""
    fields = _status_fields(header) if isinstance(header, StatusHeader) else _message_fields(header)
    for f in fields:
        if len(f.value) > f.limit:
            raise edxml_error(
                "edxml_field_too_long",
                f"Trường {f.name} dài {len(f.value)} ký tự, vượt giới hạn {f.limit} (Nghị định 30/2020, Phụ lục VI).",
                f"Field {f.name} is {len(f.value)} characters long, over the limit of {f.limit} (Decree 30/2020 App. VI).",
            )
        check_xml_text(f.name, f.value)
    check_organ_id("From", header.from_.organ_id)
    if isinstance(header, StatusHeader):
        check_organ_id("ResponseFor", header.response_for.organ_id)
        return
    if not header.to:
        raise edxml_error(
            "edxml_no_recipient",
            "Gói tin không có nơi nhận (To).",
            "The package has no recipient (To).",
        )
    for org in header.to:
        check_organ_id("To", org.organ_id)
    if not header.document_id:
        raise edxml_error("edxml_missing_field", "Thiếu DocumentId.", "Missing DocumentId.")
    if header.other_info.priority is not None and not 0 <= header.other_info.priority <= 9:
        raise edxml_error(
            "edxml_bad_value",
            "Độ khẩn (Priority) phải là một chữ số.",
            "Priority must be a single digit.",
        )


def _xml_char_ok(ch: str) -> bool:
    cp = ord(ch)
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or cp >= 0x10000


def check_xml_text(name: str, value: str) -> None:
    for ch in value:
        if not _xml_char_ok(ch):
            raise edxml_error(
                "edxml_bad_char",
                f"Trường {name} chứa ký tự không hợp lệ trong XML (U+{ord(ch):04X}).",
                f"Field {name} contains a character not allowed in XML (U+{ord(ch):04X}).",
            )


def safe_attachment_name(name: str) -> str:
    """Return ``name`` if it is a plain file name that cannot leave its folder; else raise."""

    def bad(why_vi: str, why_en: str) -> EdxmlError:
        return edxml_error(
            "edxml_unsafe_name",
            f"Tên tệp đính kèm không an toàn {name!r}: {why_vi}.",
            f"Unsafe attachment name {name!r}: {why_en}.",
        )

    if not name or not name.strip():
        raise bad("rỗng", "empty")
    if len(name.encode("utf-8")) > ATTACHMENT_NAME_MAX:
        raise bad("quá dài", "too long")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise bad("chứa ký tự điều khiển", "contains control characters")
    # Bidi overrides (U+202E makes "gpj.exe" look like "exe.jpg"), zero-width and other
    # invisible format characters, and unassigned/private code points have no place in a name.
    if any(unicodedata.category(c) in ("Cf", "Cn", "Co", "Cs", "Zl", "Zp") for c in name):
        raise bad("chứa ký tự định dạng ẩn (đảo chiều văn bản…)",
                  "contains invisible format characters (bidi overrides…)")
    if "/" in name or "\\" in name or ":" in name:
        raise bad("chứa dấu phân cách thư mục", "contains a path separator")
    if any(c in _WINDOWS_FORBIDDEN for c in name):
        raise bad("chứa ký tự Windows không cho phép trong tên tệp", "contains a character Windows forbids")
    if name in (".", "..") or name.strip(" .") == "":
        raise bad("trỏ ra ngoài thư mục", "points outside its folder")
    if name != name.rstrip(" .") or name != name.lstrip(" "):
        raise bad("bắt đầu bằng dấu cách hoặc kết thúc bằng dấu chấm/dấu cách",
                  "starts with a space or ends with a dot or a space")
    stem = unicodedata.normalize("NFKC", name.split(".")[0]).strip().upper()
    if stem in _WINDOWS_RESERVED:
        raise bad("là tên thiết bị của Windows", "is a Windows device name")
    return name


def check_content_id(value: str) -> str:
    if not value or len(value) > 200:
        raise edxml_error(
            "edxml_bad_content_id",
            f"ContentId không hợp lệ: {value!r}.",
            f"Invalid ContentId: {value!r}.",
        )
    return value
