"""Turning outbox rows into edXML packages, and received packages into document fields.

A package is built from the outbox row and the store alone, with the row's own
creation time as its timestamp, so every retry sends the same bytes and the
server's idempotent delivery (same DocumentId, sender and content hash) applies.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from desk.blobs import BlobStore
from desk.errors import ValidationError
from desk.models import Document, OutboxItem
from desk.models import Organization as OrgRow
from desk.outbox import package_payload, status_payload
from desk.reference import DOC_TYPES_BY_CODE, doc_type_by_name, normalize_code
from desk.services.documents import DocumentInput, RecipientInput
from desk.services.people import self_org
from sync.edxml import (
    AttachmentSource,
    Business,
    BusinessDocType,
    Code,
    DocumentType,
    MessageHeader,
    Organization,
    OtherInfo,
    Package,
    PromulgationInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusHeader,
    TraceHeader,
    TraceHeaderList,
    make_document_id,
    write_package_file,
)


def _org(row: OrgRow) -> Organization:
    return Organization(organ_id=row.code, organ_name=row.name, organ_add=row.address or "",
                        email=row.email or "", telephone=row.phone or "")


def document_id_of(doc: Document, sender: str) -> str:
    if doc.edxml_document_id:
        return doc.edxml_document_id
    if not (doc.number and doc.issued_date):
        raise ValidationError(
            "Văn bản chưa có số và ngày ban hành nên chưa gửi được.",
            "The document has no number and date yet, so it cannot be sent.", code="not_numbered")
    return make_document_id(sender, doc.issued_date, doc.number, doc.notation or "")


def build_status(session: Session, item: OutboxItem, dest: Path) -> Path:
    """A STATUS package telling the sender of an incoming document what happened to it."""
    me = self_org(session)
    doc = session.get(Document, item.document_id) if item.document_id else None
    payload = status_payload(item)
    target = payload.edxml_document_id or (doc.edxml_document_id if doc else "") or ""
    header = StatusHeader(
        response_for=ResponseFor(
            organ_id=payload.to,
            code=f"{doc.number}/{doc.notation}" if doc and doc.number else "",
            promulgation_date=doc.issued_date if doc else None,
            document_id=target),
        from_=_org(me),
        status_code=StatusCode(item.status_code),
        description=payload.note,
        timestamp=item.created_at.replace(microsecond=0),
        staff_info=StaffInfo(),  # no staff is named: Desk's statuses come from the office
    )
    write_package_file(dest, header)
    return dest


def build_edoc(session: Session, store: BlobStore, item: OutboxItem, dest: Path) -> Path:
    """An edoc package for an outgoing document to the recipients named in the row."""
    me = self_org(session)
    doc = session.get(Document, item.document_id)
    if doc is None:
        raise ValidationError("Văn bản cần gửi không còn.", "The document to send is gone.")
    payload = package_payload(item)
    codes = payload.recipients
    names = {r.org_code: r.name for r in doc.recipients if r.org_code}
    dtype = DOC_TYPES_BY_CODE[doc.doc_type]
    business = BusinessDocType(payload.business)
    header = MessageHeader(
        from_=_org(me),
        to=tuple(Organization(organ_id=c, organ_name=names.get(c, "")) for c in codes),
        document_id=document_id_of(doc, me.code),
        code=Code(code_number=doc.number or "", code_notation=doc.notation or ""),
        promulgation_info=PromulgationInfo(place=doc.place or me.place or "",
                                           promulgation_date=doc.issued_date),
        document_type=DocumentType(type=dtype.edxml_type, type_name=dtype.name),
        subject=doc.subject,
        signer_info=SignerInfo(competence=doc.signer_competence or "",
                               position=doc.signer_position or "", full_name=doc.signer_name or ""),
        due_date=doc.due_date,
        to_places=tuple(r.name for r in doc.recipients),
        other_info=OtherInfo(priority=doc.urgency, page_amount=doc.page_count,
                             promulgation_amount=doc.copies, direction=True),
        steering_type=1,
    )
    trace = TraceHeaderList(
        trace_headers=(TraceHeader(me.code, item.created_at.replace(microsecond=0)),),
        business=Business(doc_type=business, reason=payload.reason, document_id=payload.target),
    )
    from desk.services.outgoing import files_to_send

    attachments = [AttachmentSource(path=store.path_for(a.blob_sha256), name=a.filename,
                                    content_type=a.content_type, content_id=f"cid:{i + 1}")
                   for i, a in enumerate(files_to_send(doc))]
    write_package_file(dest, header, trace, attachments)
    return dest


def document_input(pkg: Package) -> DocumentInput:
    """The metadata of a received edoc as the fields of an incoming document."""
    h = pkg.header
    assert isinstance(h, MessageHeader)
    dtype = doc_type_by_name(h.document_type.type_name) if h.document_type.type_name else None
    priority = h.other_info.priority if h.other_info.priority in range(5) else 0
    return DocumentInput(
        doc_type=dtype.code if dtype else "CV",
        subject=h.subject[:500] or "(không có trích yếu)",
        number=h.code.code_number[:11] or None,
        notation=normalize_code(h.code.code_notation)[:30] or None,
        issuer_code=h.from_.organ_id,
        issuer_name=h.from_.organ_name[:200] or None,
        place=h.promulgation_info.place[:100] or None,
        issued_date=h.promulgation_info.promulgation_date,
        signer_competence=h.signer_info.competence[:50] or None,
        signer_position=h.signer_info.position[:100] or None,
        signer_name=h.signer_info.full_name[:50] or None,
        urgency=int(priority or 0),
        due_date=h.due_date,
        page_count=h.other_info.page_amount,
        copies=h.other_info.promulgation_amount,
        edxml_document_id=h.document_id[:120],
        recipients=[RecipientInput(name=o.organ_name or o.organ_id, org_code=o.organ_id)
                    for o in h.to],
    )
