"""Releasing outgoing documents (phát hành) and revoking them.

Release gives the document its number and date from the outgoing register,
fixes its edXML DocumentId, and queues the package for the exchange in the
same transaction, so a release is either complete and queued or not done.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.errors import ValidationError
from desk.models import Document, Person, Recipient
from desk.outbox import NEW, REPLACE, UPDATE, queue_package, queue_status
from desk.reference import Role, validate_org_id
from desk.services.people import require_role, self_org
from desk.services.registers import Registration, issue_outgoing_number


def document_id(org_code: str, doc: Document) -> str:
    """QCVN 102 DocumentId: ``{sender},{yyyy/MM/dd},{số}/{ký hiệu}``."""
    assert doc.issued_date is not None and doc.number
    return f"{org_code},{doc.issued_date:%Y/%m/%d},{doc.number}/{doc.notation or ''}"


def release(session: Session, doc: Document, actor: Person,
            recipients: Sequence[tuple[str, str]] = (), *, replaces: Document | None = None,
            update: bool = False, reason: str = "") -> Registration:
    """Phát hành: number and date, DocumentId, recipients, and the package queued to send.

    ``recipients`` are (QCVN 102 ID, name) pairs added to the document's nơi nhận.
    With ``replaces``, the package tells recipients that this document replaces (or,
    with ``update``, updates) an earlier one (edXML Bussiness 3 / 2); the earlier one
    is withdrawn here and, on their side, when the package arrives.
    """
    require_role(actor, Role.CLERK)
    workflow.check("out", doc.state, "release")
    me = self_org(session)
    existing = {r.org_code for r in doc.recipients if r.org_code}
    for code, name in recipients:
        code = validate_org_id(code)
        if code not in existing:
            doc.recipients.append(Recipient(org_code=code, name=name, channel="exchange",
                                            position=len(doc.recipients)))
            existing.add(code)
    reg = issue_outgoing_number(session, doc, actor)
    doc.issuer_code, doc.issuer_name = me.code, me.name
    doc.edxml_document_id = document_id(me.code, doc)
    to = [r.org_code for r in doc.recipients if r.org_code and r.channel == "exchange"]
    workflow.apply(session, doc, "release", actor.id, data={"to": to, "number": reg.number})
    business, target = NEW, ""
    if replaces is not None:
        if replaces.direction != "out" or not replaces.edxml_document_id:
            raise ValidationError("Chỉ thay thế được văn bản đi đã phát hành.",
                                  "Only a released outgoing document can be replaced.")
        business, target = (UPDATE if update else REPLACE), replaces.edxml_document_id
        workflow.apply(session, replaces, "revoke", actor.id,
                       note=reason or "Được thay thế", data={"replaced_by": doc.edxml_document_id})
    if to:
        queue_package(session, doc.id, to, business=business, target=target, reason=reason)
    audit.record(session, actor.username, "document.release", "document", doc.id,
                 number=reg.number, year=reg.year, to=to)
    return reg


def revoke(session: Session, doc: Document, actor: Person, reason: str) -> None:
    """Thu hồi: freeze the released document and ask every recipient to withdraw it (13)."""
    require_role(actor, Role.CLERK)
    if not reason.strip():
        raise ValidationError("Cần nêu lý do thu hồi.", "Give a reason for the revocation.")
    workflow.apply(session, doc, "revoke", actor.id, note=reason)
    at = now()
    for r in doc.recipients:
        if r.org_code and r.channel == "exchange":
            queue_status(session, "13", to=r.org_code, edxml_document_id=doc.edxml_document_id,
                         note=reason, document_id=doc.id, at=at)
    audit.record(session, actor.username, "document.revoke", "document", doc.id, reason=reason)
