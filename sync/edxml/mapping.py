"""Map the reader's element tree onto the message model (and check it)."""

from __future__ import annotations

from datetime import date, datetime

from sync.edxml.model import (
    Attachment,
    Business,
    BusinessDocType,
    BusinessDocumentInfo,
    Code,
    DocumentType,
    MessageHeader,
    Organization,
    OtherInfo,
    Package,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusHeader,
    TraceHeader,
    TraceHeaderList,
)
from sync.edxml.rules import check_header
from sync.edxml.tree import Node
from sync.errors import edxml_error

# QCVN 102 writes yyyy/MM/dd; some builders write dd/MM/yyyy or ISO dates. Read all three.
_DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")
_TS_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _parsed(where: str, value: str, formats: tuple[str, ...], what: tuple[str, str], shape: str) -> datetime | None:
    if not value:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise edxml_error(
        "edxml_bad_date",
        f"{what[0]} không hợp lệ ở {where}: {value!r} (định dạng {shape}).",
        f"Invalid {what[1]} at {where}: {value!r} (format {shape}).",
    )


def _date(where: str, value: str) -> date | None:
    parsed = _parsed(where, value, _DATE_FORMATS, ("Ngày", "date"), "yyyy/MM/dd")
    return parsed.date() if parsed else None


def _timestamp(where: str, value: str) -> datetime | None:
    return _parsed(where, value, _TS_FORMATS, ("Thời điểm", "timestamp"), "yyyy/MM/dd HH:mm:ss")


def _int(where: str, value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise edxml_error(
            "edxml_bad_value",
            f"Giá trị ở {where} phải là số nguyên: {value!r}.",
            f"The value at {where} must be an integer: {value!r}.",
        ) from None


def _bool(where: str, value: str) -> bool | None:
    v = value.lower()
    if not v:
        return None
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise edxml_error(
        "edxml_bad_value",
        f"Giá trị ở {where} phải là true/false: {value!r}.",
        f"The value at {where} must be true/false: {value!r}.",
    )


def _org(n: Node | None) -> Organization:
    if n is None:
        return Organization(organ_id="")
    return Organization(
        organ_id=n.text_of("OrganId"),
        organ_name=n.text_of("OrganName"),
        organization_in_charge=n.text_of("OrganizationInCharge"),
        organ_add=n.text_of("OrganAdd"),
        email=n.text_of("Email"),
        telephone=n.text_of("Telephone"),
        fax=n.text_of("Fax"),
        website=n.text_of("Website"),
    )


def _response_for(n: Node) -> ResponseFor:
    return ResponseFor(
        organ_id=n.text_of("OrganId"),
        code=n.text_of("Code"),
        promulgation_date=_date("ResponseFor/PromulgationDate", n.text_of("PromulgationDate")),
        document_id=n.text_of("DocumentId"),
    )


def _staff(n: Node | None) -> StaffInfo | None:
    if n is None:
        return None
    return StaffInfo(
        department=n.text_of("Department"),
        staff=n.text_of("Staff"),
        mobile=n.text_of("Mobile"),
        email=n.text_of("Email"),
    )


def _message_header(h: Node) -> MessageHeader:
    oi = h.child("OtherInfo") or Node("OtherInfo", "", {})
    appx = oi.child("Appendixes")
    places = h.child("ToPlaces")
    response_for = tuple(
        rf for rf in (_response_for(n) for n in h.all("ResponseFor")) if rf != ResponseFor()
    )
    return MessageHeader(
        from_=_org(h.child("From")),
        to=tuple(_org(n) for n in h.all("To")),
        document_id=h.text_of("DocumentId"),
        code=Code(
            code_number=(h.path("Code", "CodeNumber") or Node("", "", {})).value(),
            code_notation=(h.path("Code", "CodeNotation") or Node("", "", {})).value(),
        ),
        promulgation_info=PromulgationInfo(
            place=(h.path("PromulgationInfo", "Place") or Node("", "", {})).value(),
            promulgation_date=_date(
                "PromulgationDate",
                (h.path("PromulgationInfo", "PromulgationDate") or Node("", "", {})).value(),
            ),
        ),
        document_type=_document_type(h.child("DocumentType")),
        subject=h.text_of("Subject"),
        content=h.text_of("Content"),
        signer_info=_signer(h.child("SignerInfo")),
        due_date=_date("DueDate", h.text_of("DueDate")),
        to_places=tuple(n.value() for n in places.all("Place")) if places else (),
        other_info=OtherInfo(
            priority=_int("Priority", oi.text_of("Priority")),
            sphere_of_promulgation=oi.text_of("SphereOfPromulgation"),
            typer_notation=oi.text_of("TyperNotation"),
            promulgation_amount=_int("PromulgationAmount", oi.text_of("PromulgationAmount")),
            page_amount=_int("PageAmount", oi.text_of("PageAmount")),
            direction=_bool("Direction", oi.text_of("Direction")),
            appendixes=tuple(n.value() for n in appx.all("Appendix")) if appx else (),
        ),
        response_for=response_for,
        steering_type=_int("SteeringType", h.text_of("SteeringType")),
    )


def _document_type(n: Node | None) -> DocumentType:
    if n is None:
        return DocumentType()
    return DocumentType(
        type=_int("DocumentType/Type", n.text_of("Type")),
        type_detail=_int("DocumentType/TypeDetail", n.text_of("TypeDetail")),
        type_name=n.text_of("TypeName"),
    )


def _signer(n: Node | None) -> SignerInfo:
    if n is None:
        return SignerInfo()
    return SignerInfo(
        competence=n.text_of("Competence"),
        position=n.text_of("Position"),
        full_name=n.text_of("FullName"),
    )


def _status_header(s: Node) -> StatusHeader:
    code = s.text_of("StatusCode")
    try:
        status = StatusCode(code)
    except ValueError:
        raise edxml_error(
            "edxml_bad_status",
            f"Mã trạng thái không hợp lệ: {code!r}.",
            f"Invalid status code: {code!r}.",
        ) from None
    rf = s.child("ResponseFor")
    return StatusHeader(
        response_for=_response_for(rf) if rf is not None else ResponseFor(),
        from_=_org(s.child("From")),
        status_code=status,
        description=s.text_of("Description"),
        timestamp=_timestamp("Status/Timestamp", s.text_of("Timestamp")),
        staff_info=_staff(s.child("StaffInfo")),
    )


def _business(b: Node) -> Business:
    raw_type = _int("BussinessDocType", b.text_of("BussinessDocType"))
    try:
        doc_type = BusinessDocType(raw_type if raw_type is not None else 0)
    except ValueError:
        raise edxml_error(
            "edxml_bad_value",
            f"BussinessDocType không hợp lệ: {raw_type} (0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế).",
            f"Invalid BussinessDocType: {raw_type} (0 new, 1 revoke, 2 update, 3 replace).",
        ) from None
    info = b.child("BussinessDocumentInfo")
    document_info = None
    if info is not None:
        rl = info.child("ReceiverList")
        receivers = tuple(
            Receiver(
                receiver_type=_int("ReceiverType", r.text_of("ReceiverType")) or 0,
                organ_id=r.text_of("OrganId"),
            )
            for r in (rl.all("Receiver") if rl else ())
        )
        document_info = BusinessDocumentInfo(
            document_info=info.text_of("DocumentInfo"),
            document_receiver=info.text_of("DocumentReceiver"),
            receivers=receivers,
        )
    rep = b.child("ReplacementInfoList")
    replacements = tuple(
        ReplacementInfo(
            document_id=r.text_of("DocumentId"),
            organ_ids=tuple(
                o.value() for o in (r.child("OrganIdList") or Node("", "", {})).all("OrganId")
            ),
        )
        for r in (rep.all("ReplacementInfo") if rep else ())
    )
    return Business(
        doc_type=doc_type,
        reason=b.text_of("BussinessDocReason"),
        document_id=b.text_of("DocumentId"),
        document_info=document_info,
        staff_info=_staff(b.child("StaffInfo")),
        paper=_int("Paper", b.text_of("Paper")),
        replacements=replacements,
    )


def _trace(t: Node | None) -> TraceHeaderList:
    if t is None:
        return TraceHeaderList()
    b = t.child("Bussiness")
    return TraceHeaderList(
        trace_headers=tuple(
            TraceHeader(
                organ_id=n.text_of("OrganId"),
                timestamp=_timestamp("TraceHeader/Timestamp", n.text_of("Timestamp")),
            )
            for n in t.all("TraceHeader")
        ),
        business=_business(b) if b is not None else None,
    )


def _check_manifest(root: Node, attachments: tuple[Attachment, ...]) -> None:
    manifest = root.path("edXMLEnvelope", "edXMLBody", "edXMLManifest")
    if manifest is None:
        return
    refs = {r.text_of("ContentId") for r in manifest.all("Reference")}
    have = {a.content_id for a in attachments}
    if refs and refs != have:
        missing = sorted(refs - have)
        extra = sorted(have - refs)
        raise edxml_error(
            "edxml_manifest_mismatch",
            f"Danh mục (Manifest) không khớp tệp đính kèm: thiếu {missing}, thừa {extra}.",
            f"The manifest does not match the attachments: missing {missing}, extra {extra}.",
        )


def package_from_tree(root: Node, attachments: tuple[Attachment, ...]) -> Package:
    header_node = root.path("edXMLEnvelope", "edXMLHeader")
    if header_node is None:
        raise edxml_error(
            "edxml_missing_field",
            "Thiếu phần edXMLEnvelope/edXMLHeader.",
            "Missing edXMLEnvelope/edXMLHeader.",
        )
    msg = header_node.child("MessageHeader")
    status = header_node.child("Status")
    header: MessageHeader | StatusHeader
    if msg is not None and msg.child("StatusCode") is not None:
        # The axis form (spec §1 (a)): a MessageHeader that carries StatusCode is a status.
        header = _status_header(msg)
    elif msg is not None:
        header = _message_header(msg)
    elif status is not None:
        # The converter form (spec §1 (b)): the same children under edXML:Status.
        header = _status_header(status)
    else:
        raise edxml_error(
            "edxml_missing_field",
            "Thiếu MessageHeader hoặc Status trong edXMLHeader.",
            "edXMLHeader has neither MessageHeader nor Status.",
        )
    check_header(header)
    _check_manifest(root, attachments)
    return Package(
        header=header,
        trace=_trace(header_node.child("TraceHeaderList")),
        attachments=attachments,
        signed=header_node.child("Signature") is not None,
    )
