"""Everything a front end shows about one document (the app's detail pane), loaded in one read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desk.office import Office
from desk.reference import CONFIDENTIALITY_LABELS, DOC_TYPES_BY_CODE, Confidentiality, format_code
from desk.services.queries import AssignmentLine, HistoryLine, assignments, history
from desk.workflow import allowed_actions


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    sha256: str
    size: int
    kind: str
    content_type: str

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf" or self.filename.lower().endswith(".pdf")


@dataclass
class DocDetail:
    id: int
    direction: str
    state: str
    doc_type: str
    type_name: str
    code: str
    subject: str
    issuer: str
    issuer_code: str
    issued_date: date | None
    place: str
    signer: str
    urgency: int
    confidentiality: str
    due_date: date | None
    page_count: int | None
    source: str
    incoming_number: str | None
    recipients: list[str] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    assignments: list[AssignmentLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    signatures_on_arrival: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def main_pdf(self) -> AttachmentInfo | None:
        pdfs = [a for a in self.attachments if a.is_pdf]
        mains = [a for a in pdfs if a.kind == "main"]
        candidates = mains or pdfs  # the newest main version is the current one
        return max(candidates, key=lambda a: a.id) if candidates else None


def _recipient_lines(d: Any) -> list[str]:
    """Nơi nhận; for an outgoing document with each one's last status (the per-recipient table)."""
    from desk.services.exchange import recipient_rows

    if d.direction != "out":
        return [r.name for r in d.recipients]
    lines = []
    for r in recipient_rows(d):
        line = str(r["name"])
        if r["status_code"]:
            line += f" — {r['status_code']} {r['status']}"
            if r["status_at"]:
                line += f" {r['status_at']:%d/%m/%Y %H:%M}"
            if r["description"]:
                line += f": {r['description']}"
        if r["delivery_error"]:
            line += f" — ⚠ {r['delivery']}"
        lines.append(line)
    return lines


def load_detail(office: Office, doc_id: int) -> DocDetail:
    from desk.reference import format_number
    from desk.services.documents import get_document
    from desk.services.registers import registration_of

    with office.db.read() as s:
        d = get_document(s, doc_id)
        reg = registration_of(s, doc_id, "in") if d.direction == "in" else None
        dtype = DOC_TYPES_BY_CODE.get(d.doc_type)
        signer = " ".join(filter(None, [d.signer_competence, d.signer_position, d.signer_name]))
        detail = DocDetail(
            id=d.id, direction=d.direction, state=d.state, doc_type=d.doc_type,
            type_name=dtype.name if dtype else d.doc_type, code=format_code(d.number, d.notation),
            subject=d.subject, issuer=d.issuer_name or "", issuer_code=d.issuer_code or "",
            issued_date=d.issued_date, place=d.place or "", signer=signer, urgency=d.urgency,
            confidentiality=CONFIDENTIALITY_LABELS[Confidentiality(d.confidentiality)],
            due_date=d.due_date, page_count=d.page_count, source=d.source,
            incoming_number=f"{format_number(reg.number)}/{reg.year}" if reg else None,
            recipients=_recipient_lines(d),
            attachments=[AttachmentInfo(a.id, a.filename, a.blob_sha256, a.size, a.kind, a.content_type)
                         for a in d.attachments],
            actions=allowed_actions(d),
        )
        from desk.signatures import recorded

        detail.signatures_on_arrival = recorded(d)
        detail.assignments = assignments(s, doc_id)
        detail.history = history(s, doc_id)
    return detail
