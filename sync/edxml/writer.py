"""Write edXML packages (edoc and STATUS) in the QCVN 102 namespace.

The layout follows the axis SDK's sample package: a default-namespace ``edXML`` root,
an ``edXML:edXMLEnvelope`` with header and manifest, then ``AttachmentEncoded``.
Attachments are base64-encoded in chunks straight from their files, so a package of
any size is written with a small, constant amount of memory.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from sync.edxml.model import (
    DESK_NS,
    NS,
    AttachmentSource,
    Business,
    MessageHeader,
    Organization,
    ResponseFor,
    StaffInfo,
    StatusHeader,
    TraceHeaderList,
)
from sync.edxml.rules import (
    check_content_id,
    check_header,
    check_xml_text,
    safe_attachment_name,
)
from sync.errors import edxml_error

# A multiple of 3, so each chunk encodes to base64 without padding in the middle.
B64_CHUNK = 3 * 64 * 1024
DATE_FMT = "%Y/%m/%d"
TIMESTAMP_FMT = "%Y/%m/%d %H:%M:%S"


def _text(value: str) -> str:
    # \r would be turned into \n by any XML parser; a character reference keeps it.
    return escape(value).replace("\r", "&#13;")


class _Out:
    """Indented element writer over a binary stream (UTF-8)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.depth = 0

    def raw(self, s: str) -> None:
        self.stream.write(s.encode("utf-8"))

    def leaf(self, tag: str, value: str | None) -> None:
        pad = "  " * self.depth
        if value is None or value == "":
            self.raw(f"{pad}<edXML:{tag}/>\n")
        else:
            self.raw(f"{pad}<edXML:{tag}>{_text(value)}</edXML:{tag}>\n")

    def opt(self, tag: str, value: str | None) -> None:
        """A leaf written only when it has a value (as the axis library writes statuses)."""
        if value:
            self.leaf(tag, value)

    def open(self, tag: str, attrs: str = "") -> None:
        self.raw(f"{'  ' * self.depth}<edXML:{tag}{attrs}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.raw(f"{'  ' * self.depth}</edXML:{tag}>\n")


def _num(v: int | None) -> str:
    return "" if v is None else str(v)


def _date(v: date | None) -> str:
    return "" if v is None else v.strftime(DATE_FMT)


def _ts(v: datetime | None) -> str:
    return "" if v is None else v.strftime(TIMESTAMP_FMT)


def _org(o: _Out, tag: str, org: Organization, *, short: bool = False) -> None:
    """An organisation; ``short`` leaves its empty members out (the axis status form)."""
    put = o.opt if short else o.leaf
    o.open(tag)
    o.leaf("OrganId", org.organ_id)
    put("OrganizationInCharge", org.organization_in_charge)
    put("OrganName", org.organ_name)
    put("OrganAdd", org.organ_add)
    put("Email", org.email)
    put("Telephone", org.telephone)
    put("Fax", org.fax)
    put("Website", org.website)
    o.close(tag)


def _response_for(o: _Out, rf: ResponseFor) -> None:
    # The reference library's order; empty members are left out (its date parser
    # refuses an empty PromulgationDate).
    o.open("ResponseFor")
    o.leaf("OrganId", rf.organ_id)
    o.opt("Code", rf.code)
    o.opt("DocumentId", rf.document_id)
    o.opt("PromulgationDate", _date(rf.promulgation_date))
    o.close("ResponseFor")


def _staff(o: _Out, s: StaffInfo) -> None:
    o.open("StaffInfo")
    o.opt("Department", s.department)
    o.opt("Staff", s.staff)
    o.opt("Mobile", s.mobile)
    o.opt("Email", s.email)
    o.close("StaffInfo")


def _message_header(o: _Out, h: MessageHeader) -> None:
    o.open("MessageHeader")
    _org(o, "From", h.from_)
    for org in h.to:
        _org(o, "To", org)
    o.leaf("DocumentId", h.document_id)
    o.open("Code")
    o.leaf("CodeNumber", h.code.code_number)
    o.leaf("CodeNotation", h.code.code_notation)
    o.close("Code")
    o.open("PromulgationInfo")
    o.leaf("Place", h.promulgation_info.place)
    o.leaf("PromulgationDate", _date(h.promulgation_info.promulgation_date))
    o.close("PromulgationInfo")
    o.open("DocumentType")
    o.leaf("Type", _num(h.document_type.type))
    o.leaf("TypeDetail", _num(h.document_type.type_detail))
    o.leaf("TypeName", h.document_type.type_name)
    o.close("DocumentType")
    o.leaf("Subject", h.subject)
    o.leaf("Content", h.content)
    o.open("SignerInfo")
    o.leaf("Competence", h.signer_info.competence)
    o.leaf("Position", h.signer_info.position)
    o.leaf("FullName", h.signer_info.full_name)
    o.close("SignerInfo")
    o.leaf("DueDate", _date(h.due_date))
    oi = h.other_info
    o.open("OtherInfo")
    o.leaf("Priority", _num(oi.priority))
    o.leaf("SphereOfPromulgation", oi.sphere_of_promulgation)
    o.leaf("TyperNotation", oi.typer_notation)
    o.leaf("PromulgationAmount", _num(oi.promulgation_amount))
    o.leaf("PageAmount", _num(oi.page_amount))
    o.leaf("Direction", "" if oi.direction is None else ("true" if oi.direction else "false"))
    o.open("Appendixes")
    for a in oi.appendixes:
        o.leaf("Appendix", a)
    o.close("Appendixes")
    o.close("OtherInfo")
    for rf in h.response_for:
        _response_for(o, rf)
    o.leaf("SteeringType", _num(h.steering_type))
    o.open("ToPlaces")
    for p in h.to_places:
        o.leaf("Place", p)
    o.close("ToPlaces")
    o.close("MessageHeader")


def _status_header(o: _Out, h: StatusHeader) -> None:
    """The axis form (spec §1 (a)): a MessageHeader carrying StatusCode, no To.

    Children in the order the reference edXML library (EdXML102) writes them:
    From, ResponseFor, StaffInfo, StatusCode, Description, Timestamp.
    """
    o.open("MessageHeader")
    _org(o, "From", h.from_, short=True)
    _response_for(o, h.response_for)
    if h.staff_info is not None and any(
        (h.staff_info.department, h.staff_info.staff, h.staff_info.mobile, h.staff_info.email)
    ):
        _staff(o, h.staff_info)
    o.leaf("StatusCode", h.status_code.value)
    o.opt("Description", h.description)
    o.opt("Timestamp", _ts(h.timestamp))
    o.close("MessageHeader")


def _business(o: _Out, b: Business) -> None:
    # The reference library's order: DocumentId, BussinessDocType, BussinessDocReason,
    # Paper, BussinessDocumentInfo, ReplacementInfoList, StaffInfo.
    o.open("Bussiness")
    o.leaf("DocumentId", b.document_id)
    o.leaf("BussinessDocType", str(int(b.doc_type)))
    o.leaf("BussinessDocReason", b.reason)
    o.leaf("Paper", _num(b.paper))
    if b.document_info is not None:
        o.open("BussinessDocumentInfo")
        o.leaf("DocumentInfo", b.document_info.document_info)
        o.leaf("DocumentReceiver", b.document_info.document_receiver)
        o.open("ReceiverList")
        for r in b.document_info.receivers:
            o.open("Receiver")
            o.leaf("ReceiverType", str(r.receiver_type))
            o.leaf("OrganId", r.organ_id)
            o.close("Receiver")
        o.close("ReceiverList")
        o.close("BussinessDocumentInfo")
    if b.replacements:
        o.open("ReplacementInfoList")
        for ri in b.replacements:
            o.open("ReplacementInfo")
            o.leaf("DocumentId", ri.document_id)
            o.open("OrganIdList")
            for oid in ri.organ_ids:
                o.leaf("OrganId", oid)
            o.close("OrganIdList")
            o.close("ReplacementInfo")
        o.close("ReplacementInfoList")
    if b.staff_info is not None:
        _staff(o, b.staff_info)
    o.close("Bussiness")


def _trace(o: _Out, t: TraceHeaderList) -> None:
    o.open("TraceHeaderList")
    if t.business is not None:
        _business(o, t.business)
    for th in t.trace_headers:
        o.open("TraceHeader")
        o.leaf("OrganId", th.organ_id)
        o.leaf("Timestamp", _ts(th.timestamp))
        o.close("TraceHeader")
    o.close("TraceHeaderList")


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 (hex) of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _b64_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(B64_CHUNK):
            yield base64.b64encode(chunk)


def _prepared(attachments: Sequence[AttachmentSource]) -> list[tuple[AttachmentSource, str]]:
    out: list[tuple[AttachmentSource, str]] = []
    seen: set[str] = set()
    for i, a in enumerate(attachments, start=1):
        safe_attachment_name(a.name)
        check_xml_text("AttachmentName", a.name)
        check_xml_text("Description", a.description)
        cid = check_content_id(a.content_id or f"cid:{i}")
        if cid in seen:
            raise edxml_error(
                "edxml_duplicate_content_id",
                f"ContentId bị trùng: {cid}.",
                f"Duplicate ContentId: {cid}.",
            )
        if not a.path.is_file():
            raise edxml_error(
                "edxml_attachment_missing",
                f"Không tìm thấy tệp đính kèm: {a.path}.",
                f"Attachment file not found: {a.path}.",
            )
        seen.add(cid)
        out.append((a, cid))
    return out


def write_package(
    stream: BinaryIO,
    header: MessageHeader | StatusHeader,
    trace: TraceHeaderList | None = None,
    attachments: Sequence[AttachmentSource] = (),
) -> None:
    """Write a complete edXML package to ``stream``; checks every field first."""
    check_header(header)
    prepared = _prepared(attachments)
    o = _Out(stream)
    o.raw('<?xml version="1.0" encoding="UTF-8"?>\n')
    o.raw(f'<edXML xmlns="{NS}" xmlns:desk="{DESK_NS}">\n')
    o.depth = 1
    o.raw(f'  <edXML:edXMLEnvelope xmlns:edXML="{NS}">\n')
    o.depth = 2
    o.open("edXMLHeader")
    if isinstance(header, StatusHeader):
        _status_header(o, header)
    else:
        _message_header(o, header)
    if trace is not None:
        _trace(o, trace)
    o.close("edXMLHeader")
    o.open("edXMLBody")
    o.open("edXMLManifest", ' version="1.0"')
    for a, cid in prepared:
        o.open("Reference")
        o.leaf("ContentId", cid)
        o.leaf("ContentType", a.content_type)
        o.leaf("Description", a.description)
        o.leaf("AttachmentName", a.name)
        o.close("Reference")
    o.close("edXMLManifest")
    o.close("edXMLBody")
    o.raw("  </edXML:edXMLEnvelope>\n")
    o.raw("  <AttachmentEncoded>\n")
    for a, cid in prepared:
        _attachment(o, a, cid)
    o.raw("  </AttachmentEncoded>\n</edXML>\n")


def _attachment(o: _Out, a: AttachmentSource, cid: str) -> None:
    size, digest = file_digest(a.path)
    o.raw(f'    <Attachment desk:size="{size}" desk:sha256="{digest}">\n')
    o.raw(f"      <ContentId>{_text(cid)}</ContentId>\n")
    o.raw(f"      <AttachmentName>{_text(a.name)}</AttachmentName>\n")
    o.raw(f"      <Description>{_text(a.description)}</Description>\n")
    o.raw(f"      <ContentType>{_text(a.content_type)}</ContentType>\n")
    o.raw(f'      <edXML:ContentTransferEncoded xmlns:edXML="{NS}">')
    for chunk in _b64_chunks(a.path):
        o.stream.write(chunk)
    o.raw("</edXML:ContentTransferEncoded>\n    </Attachment>\n")


def write_package_file(
    path: Path,
    header: MessageHeader | StatusHeader,
    trace: TraceHeaderList | None = None,
    attachments: Sequence[AttachmentSource] = (),
) -> None:
    """Write a package to ``path`` (via a temporary file, so a failure leaves nothing)."""
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("wb") as f:
            write_package(f, header, trace, attachments)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def package_bytes(
    header: MessageHeader | StatusHeader,
    trace: TraceHeaderList | None = None,
    attachments: Sequence[AttachmentSource] = (),
) -> bytes:
    import io

    buf = io.BytesIO()
    write_package(buf, header, trace, attachments)
    return buf.getvalue()
