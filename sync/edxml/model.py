"""The QCVN 102:2016 edXML message model as frozen dataclasses.

Names follow the standard's element names (in snake_case) so that a reader of the
spec finds each field. Text fields are ``str`` ("" when absent); dates are
``datetime.date`` and numbers ``int``, ``None`` when the element is absent or empty.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# Desk's own optional attributes (declared size and SHA-256 of an attachment).
# Foreign-namespace attributes are ignored by other QCVN 102 readers.
DESK_NS = "urn:desk:edxml:ext:1"


class BusinessDocType(enum.IntEnum):
    """TraceHeaderList/Bussiness/BussinessDocType."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


class StatusCode(enum.Enum):
    """STATUS packet codes (QCVN 102 SĐ1:2022)."""

    ARRIVED = "01"  # đã đến
    REFUSED = "02"  # từ chối tiếp nhận
    ACCEPTED = "03"  # đã tiếp nhận
    ASSIGNED = "04"  # phân công
    PROCESSING = "05"  # đang xử lý
    DONE = "06"  # hoàn thành
    REVOKE = "13"  # thu hồi / lấy lại
    AGREE_REVOKE = "15"  # đồng ý thu hồi / cập nhật
    REFUSE_REVOKE = "16"  # từ chối thu hồi / cập nhật


class Priority(enum.IntEnum):
    NORMAL = 0  # thường
    URGENT = 1  # khẩn
    VERY_URGENT = 2  # thượng khẩn
    FLASH = 3  # hỏa tốc
    FLASH_SCHEDULED = 4  # hỏa tốc hẹn giờ


@dataclass(frozen=True)
class Organization:
    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Code:
    code_number: str = ""  # số
    code_notation: str = ""  # ký hiệu, e.g. "QĐ-UBND"


@dataclass(frozen=True)
class PromulgationInfo:
    place: str = ""
    promulgation_date: date | None = None


@dataclass(frozen=True)
class DocumentType:
    type: int | None = None
    type_detail: int | None = None
    type_name: str = ""


@dataclass(frozen=True)
class SignerInfo:
    competence: str = ""  # "TL. BỘ TRƯỞNG"
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class OtherInfo:
    priority: int | None = None
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool | None = None
    appendixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str = ""
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass(frozen=True)
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class TraceHeader:
    organ_id: str
    timestamp: datetime | None = None


@dataclass(frozen=True)
class Receiver:
    receiver_type: int  # 0 removed, 1 added
    organ_id: str


@dataclass(frozen=True)
class BusinessDocumentInfo:
    document_info: str = ""
    document_receiver: str = ""
    receivers: tuple[Receiver, ...] = ()


@dataclass(frozen=True)
class ReplacementInfo:
    document_id: str
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Business:
    doc_type: BusinessDocType = BusinessDocType.NEW
    reason: str = ""
    document_id: str = ""  # the target document of a revoke / update / replace
    document_info: BusinessDocumentInfo | None = None
    staff_info: StaffInfo | None = None
    paper: int | None = None
    replacements: tuple[ReplacementInfo, ...] = ()


@dataclass(frozen=True)
class TraceHeaderList:
    trace_headers: tuple[TraceHeader, ...] = ()
    business: Business | None = None


@dataclass(frozen=True)
class MessageHeader:
    """An edoc package's header (MessageHeader)."""

    from_: Organization
    to: tuple[Organization, ...]
    document_id: str
    code: Code = Code()
    promulgation_info: PromulgationInfo = PromulgationInfo()
    document_type: DocumentType = DocumentType()
    subject: str = ""
    content: str = ""
    signer_info: SignerInfo = SignerInfo()
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    other_info: OtherInfo = OtherInfo()
    response_for: tuple[ResponseFor, ...] = ()
    steering_type: int | None = None


@dataclass(frozen=True)
class StatusHeader:
    """A STATUS packet's header.

    Written in the axis form (a ``MessageHeader`` carrying ``StatusCode``, no ``To``);
    read from that form and from the converter form (``edXML:Status``). Spec §1.
    """

    response_for: ResponseFor
    from_: Organization
    status_code: StatusCode
    description: str = ""
    timestamp: datetime | None = None
    staff_info: StaffInfo | None = None


@dataclass(frozen=True)
class AttachmentSource:
    """An attachment to put into a package being built (read from ``path``)."""

    path: Path
    name: str
    content_type: str = "application/pdf"
    description: str = ""
    content_id: str = ""  # "cid:N"; given in order when empty


@dataclass(frozen=True)
class Attachment:
    """An attachment read from a package: its metadata and, if kept, where it was written."""

    content_id: str
    name: str
    content_type: str
    description: str
    size: int
    sha256: str
    path: Path | None = None  # None when the parse was asked not to keep attachments


@dataclass(frozen=True)
class Package:
    """A parsed edXML package: an edoc (MessageHeader) or a status (StatusHeader)."""

    header: MessageHeader | StatusHeader
    trace: TraceHeaderList = field(default_factory=TraceHeaderList)
    attachments: tuple[Attachment, ...] = ()
    signed: bool = False  # an XML-DSig Signature element was present (not verified here)

    @property
    def kind(self) -> str:
        return "status" if isinstance(self.header, StatusHeader) else "edoc"

    @property
    def sender(self) -> str:
        return self.header.from_.organ_id

    @property
    def recipients(self) -> tuple[str, ...]:
        """Organisation IDs this package goes to (a status goes to ResponseFor/OrganId)."""
        if isinstance(self.header, StatusHeader):
            return (self.header.response_for.organ_id,)
        return tuple(o.organ_id for o in self.header.to)


def make_document_id(organ_id: str, promulgated: date, number: str, notation: str) -> str:
    """DocumentId = ``{senderOrganId},{yyyy/MM/dd},{số}/{ký hiệu}`` (QCVN 102)."""
    return f"{organ_id},{promulgated:%Y/%m/%d},{number}/{notation}"
