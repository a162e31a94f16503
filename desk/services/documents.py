"""Creating, importing and editing documents."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk import audit, search, workflow
from desk.blobs import BlobStore
from desk.clock import now
from desk.errors import NotFoundError, ValidationError
from desk.models import Attachment, Blob, Document, Person, Recipient
from desk.reference import Confidentiality, Urgency, doc_type, normalize_code, validate_org_id

if TYPE_CHECKING:
    from desk.docmeta import ReadResult
    from desk.docread import PreparedFile

# Field lengths of Decree 30 App. VI.
_LIMITS = {
    "number": (11, "Số văn bản", "Document number"),
    "notation": (30, "Ký hiệu", "Notation"),
    "issuer_name": (200, "Tên cơ quan ban hành", "Issuing organisation"),
    "subject": (500, "Trích yếu", "Subject"),
    "signer_position": (100, "Chức vụ người ký", "Signer's position"),
    "signer_name": (50, "Họ tên người ký", "Signer's name"),
    "signer_competence": (50, "Quyền hạn ký", "Signing competence"),
    "place": (100, "Địa danh", "Place"),
}


@dataclass
class RecipientInput:
    name: str
    org_code: str | None = None
    channel: str = "exchange"


@dataclass
class DocumentInput:
    """The metadata of a document as entered or received (all optional but type and subject)."""

    doc_type: str
    subject: str
    number: str | None = None
    notation: str | None = None
    issuer_code: str | None = None
    issuer_name: str | None = None
    place: str | None = None
    issued_date: date | None = None
    signer_competence: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    urgency: int = 0
    confidentiality: int = 0
    due_date: date | None = None
    page_count: int | None = None
    copies: int | None = None
    edxml_document_id: str | None = None
    recipients: list[RecipientInput] = field(default_factory=list)

    def validated(self) -> DocumentInput:
        doc_type(self.doc_type)
        subject = " ".join(self.subject.split())
        if not subject:
            raise ValidationError("Trích yếu không được để trống.", "The subject must not be empty.",
                                  code="empty_subject")
        out = replace(self, subject=subject)
        for name, (limit, vi, en) in _LIMITS.items():
            value = getattr(out, name)
            if value is not None and len(value) > limit:
                raise ValidationError(
                    f"{vi} dài {len(value)} ký tự, tối đa {limit} ký tự (Nghị định 30, Phụ lục VI).",
                    f"{en} is {len(value)} characters long; Decree 30 App. VI allows {limit}.",
                    code="too_long",
                )
        if out.number:
            out.number = out.number.strip()
        if out.notation:
            out.notation = normalize_code(out.notation)
        if out.issuer_code:
            out.issuer_code = validate_org_id(out.issuer_code)
        try:
            Urgency(out.urgency)
            Confidentiality(out.confidentiality)
        except ValueError:
            raise ValidationError("Độ khẩn hoặc độ mật không hợp lệ.",
                                  "Invalid urgency or confidentiality.") from None
        if out.page_count is not None and out.page_count < 0:
            raise ValidationError("Số trang không hợp lệ.", "Invalid page count.")
        for r in out.recipients:
            if r.org_code:
                r.org_code = validate_org_id(r.org_code)
        return out


_SIMPLE_FIELDS = [f.name for f in fields(DocumentInput) if f.name != "recipients"]


@dataclass(frozen=True)
class FileInput:
    path: Path
    filename: str | None = None
    kind: str = "main"


def get_document(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không tìm thấy văn bản #{doc_id}.", f"Document #{doc_id} not found.",
                            code="no_document")
    return doc


def store_files(store: BlobStore, files: list[FileInput]) -> list[tuple[FileInput, str, int]]:
    """Write files to the blob store first (durable), before any row refers to them."""
    stored = []
    for f in files:
        try:
            b = store.put_file(f.path)
        except FileNotFoundError:
            raise ValidationError(f"Không tìm thấy tệp {f.path}.", f"File not found: {f.path}.",
                                  code="no_file") from None
        stored.append((f, b.sha256, b.size))
    return stored


def _attach(session: Session, doc: Document, stored: list[tuple[FileInput, str, int]]) -> None:
    start = len(doc.attachments)
    added: set[str] = set()
    for i, (f, sha, size) in enumerate(stored):
        with session.no_autoflush:  # the document may not be complete yet
            known = sha in added or session.get(Blob, sha) is not None
        if not known:
            session.add(Blob(sha256=sha, size=size, created_at=now()))
            added.add(sha)
        name = f.filename or f.path.name
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        doc.attachments.append(Attachment(blob_sha256=sha, filename=name[:255], content_type=ctype,
                                          size=size, position=start + i, kind=f.kind))


def create_incoming(
    session: Session, store: BlobStore, data: DocumentInput, actor: Person | None, *,
    files: list[FileInput] | None = None, source: str = "paper", text: str | None = None,
    stored: list[tuple[FileInput, str, int]] | None = None,
    event_data: dict[str, object] | None = None,
) -> Document:
    """Receive a document (tiếp nhận): state 'received', waiting to be registered."""
    return _create(session, store, "in", "receive", data, actor, files, source, text, stored,
                   event_data)


def create_outgoing(
    session: Session, store: BlobStore, data: DocumentInput, actor: Person | None, *,
    files: list[FileInput] | None = None, text: str | None = None,
) -> Document:
    return _create(session, store, "out", "create", data, actor, files, "local", text, None)


def _create(
    session: Session, store: BlobStore, direction: str, action: str, data: DocumentInput,
    actor: Person | None, files: list[FileInput] | None, source: str, text: str | None,
    stored: list[tuple[FileInput, str, int]] | None,
    event_data: dict[str, object] | None = None,
) -> Document:
    data = data.validated()
    if stored is None:
        stored = store_files(store, files or [])
    at = now()
    doc = Document(direction=direction, source=source, created_at=at, updated_at=at,
                   created_by=actor.id if actor else None)
    for name in _SIMPLE_FIELDS:
        setattr(doc, name, getattr(data, name))
    doc.recipients = [Recipient(name=r.name, org_code=r.org_code, channel=r.channel, position=i)
                      for i, r in enumerate(data.recipients)]
    session.add(doc)
    _attach(session, doc, stored)
    workflow.apply(session, doc, action, actor.id if actor else None, data=event_data)
    search.index_document(session, doc, text)
    audit.record(session, actor.username if actor else None, f"document.{action}", "document",
                 doc.id, direction=direction, subject=doc.subject,
                 files=[sha for _, sha, _ in stored])
    return doc


def update_metadata(session: Session, doc: Document, changes: dict[str, object],
                    actor: Person | None, *, confirm: list[str] | None = None) -> Document:
    """Edit a document's fields; refused once it is past the editable states.

    Every field named in ``changes`` or ``confirm`` counts as checked by a person
    (a pre-filled field read with low confidence is no longer flagged).
    """
    workflow.check(doc.direction, doc.state, "edit")
    current = DocumentInput(**{n: getattr(doc, n) for n in _SIMPLE_FIELDS})
    unknown = set(changes) - set(_SIMPLE_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không sửa được: {', '.join(sorted(unknown))}.",
                              f"Fields that cannot be edited: {', '.join(sorted(unknown))}.")
    new = replace(current, **changes).validated()  # type: ignore[arg-type]
    diff = {n: [str(getattr(doc, n)), str(getattr(new, n))] for n in _SIMPLE_FIELDS
            if getattr(doc, n) != getattr(new, n)}
    for n in diff:
        setattr(doc, n, getattr(new, n))
    confirmed = sorted(set(changes) | set(confirm or []))
    workflow.apply(session, doc, "edit", actor.id if actor else None,
                   data={"changes": diff, "confirmed": confirmed})
    audit.record(session, actor.username if actor else None, "document.edit", "document", doc.id,
                 changes=diff)
    return doc


def add_files(session: Session, store: BlobStore, doc: Document, files: list[FileInput],
              actor: Person | None, *, action: str = "edit") -> None:
    workflow.check(doc.direction, doc.state, action)
    stored = store_files(store, files)
    _attach(session, doc, stored)
    audit.record(session, actor.username if actor else None, "document.attach", "document", doc.id,
                 files=[sha for _, sha, _ in stored])


@dataclass(frozen=True)
class DuplicateHit:
    document_id: int
    reason: str  # document_id | code
    subject: str


def find_duplicates(session: Session, data: DocumentInput, *, exclude_id: int | None = None,
                    direction: str = "in") -> list[DuplicateHit]:
    """Decree 30 App. VI: warn on the same DocumentId, or the same số + ký hiệu + issuer."""
    conds = []
    if data.edxml_document_id:
        conds.append(Document.edxml_document_id == data.edxml_document_id)
    if data.number and data.notation and (data.issuer_code or data.issuer_name):
        same_issuer = (Document.issuer_code == data.issuer_code if data.issuer_code
                       else Document.issuer_name == data.issuer_name)
        conds.append((Document.number == data.number.strip())
                     & (Document.notation == normalize_code(data.notation)) & same_issuer)
    if not conds:
        return []
    q = select(Document).where(Document.direction == direction, or_(*conds),
                               Document.state != "revoked")
    if exclude_id is not None:
        q = q.where(Document.id != exclude_id)
    hits = []
    for d in session.scalars(q.limit(20)):
        reason = ("document_id" if data.edxml_document_id
                  and d.edxml_document_id == data.edxml_document_id else "code")
        hits.append(DuplicateHit(d.id, reason, d.subject))
    return hits


def read_for_import(path: Path, *, ocr: bool = True) -> PreparedFile:
    """Read a file before importing it (page count, text, metadata with confidences).

    Slow for scans and word-processor files (OCR, LibreOffice): call it before
    opening the write transaction, and off the GUI thread.
    """
    from desk.docread import prepare

    return prepare(Path(path), ocr=ocr)


def handwritten_fields(r: ReadResult) -> list[str]:
    """The fields the reader found written by hand on a scan: the number, and the day when it
    was OCRed (written by the same hand at the same time, see desk.docread._check_handwriting)."""
    from desk.layout import OCR

    if not r.handwritten_number:
        return []
    date_ = r.fields.get("issued_date")
    return ["number"] + (["issued_date"] if date_ is not None and date_.source == OCR else [])


def _reading_data(p: PreparedFile) -> dict[str, object]:
    r = p.read
    return {"reading": {
        "fields": r.as_json(), "kind": r.kind, "file_type": p.file_type,
        "parent_issuer": r.parent_issuer, "legacy_encoding": r.legacy_encoding,
        "ocr_pending": len(p.ocr_pending), "ocr_error": p.ocr_error,
        "handwritten": handwritten_fields(r),
    }}


def import_prepared(session: Session, store: BlobStore, prepared: PreparedFile, actor: Person | None,
                    *, overrides: dict[str, object] | None = None,
                    signatures: Mapping[str, object] | None = None) -> Document:
    """Create the incoming document from a file read by :func:`read_for_import` (fast)."""
    r = prepared.read
    subject = r.get("subject")
    if not subject:
        r.set("subject", prepared.path.stem.replace("_", " ")[:500] or "?", 0.1, "file")
        subject = r.get("subject")
    data = DocumentInput(
        doc_type=r.get("doc_type") or "CV", subject=subject,
        number=r.get("number"), notation=r.get("notation"), issued_date=r.get("issued_date"),
        place=r.get("place"), issuer_name=r.get("issuer_name"),
        signer_competence=r.signer_competence, signer_position=r.get("signer_position"),
        signer_name=r.get("signer_name"), page_count=prepared.pages,
    )
    if overrides:
        data = replace(data, **overrides)  # type: ignore[arg-type]
    event_data = dict(_reading_data(prepared) or {})
    if signatures is not None:
        event_data["signatures"] = dict(signatures)
    files = []
    if prepared.file_type != "pdf" and prepared.pdf is not None:
        # The PDF rendition is what is read, shown and signed; the original is kept beside it.
        files.append(FileInput(prepared.pdf, prepared.path.stem + ".pdf", "main"))
        files.append(FileInput(prepared.path, prepared.path.name, "original"))
    else:
        files.append(FileInput(prepared.path))
    return create_incoming(session, store, data, actor, files=files, source="paper",
                           text=prepared.text or None, event_data=event_data)


def import_pdf(session: Session, store: BlobStore, path: Path, actor: Person | None,
               *, overrides: dict[str, object] | None = None, ocr: bool = True,
               prepared: PreparedFile | None = None,
               signatures: Mapping[str, object] | None = None) -> Document:
    """Import a PDF (or DOCX/ODT/DOC/RTF) as an incoming document, pre-filling what its pages say.

    Prefer :func:`read_for_import` before the transaction and :func:`import_prepared`
    inside it: reading a scan takes seconds a page. ``signatures`` is the file's signature
    verdict (:func:`desk.signatures.check_files`), recorded in the receiving event.
    """
    p = prepared or read_for_import(Path(path), ocr=ocr)
    try:
        return import_prepared(session, store, p, actor, overrides=overrides, signatures=signatures)
    finally:
        if prepared is None:
            p.cleanup()


def store_text(session: Session, doc: Document, text: str) -> None:
    """Replace the document's searchable text (after the background OCR) and queue it for the index."""
    search.index_document(session, doc, text)
    search.enqueue(session, doc.id)


# --- how sure the reader was -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldCheck:
    name: str
    confidence: float
    source: str
    handwritten: bool = False  # written by hand on the scan (the number, the day): OCR cannot vouch for it


def reading_of(session: Session, doc: Document) -> dict[str, object] | None:
    """What the reader recorded at import (kind, fields' confidence and source), if it was read."""
    from desk.models import DocumentEvent

    ev = session.scalars(select(DocumentEvent).where(
        DocumentEvent.document_id == doc.id, DocumentEvent.action == "receive")
        .order_by(DocumentEvent.id).limit(1)).first()
    data = ev.data if ev is not None and isinstance(ev.data, dict) else None
    reading = data.get("reading") if data else None
    return reading if isinstance(reading, dict) else None


def unsure_fields(session: Session, doc: Document) -> list[FieldCheck]:
    """Fields read with low confidence (or not found) that no one has checked since.

    A field counts as checked once it was edited or confirmed (``desk edit``, the
    registration form), or once the document was registered by a person.
    """
    from desk.docmeta import CONFIDENT, REQUIRED
    from desk.models import DocumentEvent

    reading = reading_of(session, doc)
    if reading is None:
        return []
    checked: set[str] = set()
    for ev in session.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc.id)):
        data: dict[str, Any] = ev.data if isinstance(ev.data, dict) else {}
        if ev.action == "edit":
            checked |= {str(k) for k in data.get("changes") or {}} | {str(k) for k in data.get("confirmed") or []}
        if ev.action == "register" and not data.get("automatic"):
            checked |= set(REQUIRED) | {"signer_name", "signer_position", "place"}
    fields_ = reading.get("fields") or {}
    marked = reading.get("handwritten")
    by_hand = {str(n) for n in marked} if isinstance(marked, list) else set()
    out = []
    names = list(REQUIRED) + [n for n in ("signer_name",) if n not in REQUIRED]
    for name in names:
        if name in checked:
            continue
        info = fields_.get(name) if isinstance(fields_, dict) else None
        if not isinstance(info, dict):
            out.append(FieldCheck(name, 0.0, ""))
            continue
        conf = float(info.get("confidence", 0.0))
        if conf < CONFIDENT:
            out.append(FieldCheck(name, conf, str(info.get("source", "")), handwritten=name in by_hand))
    return out


def register_if_confident(session: Session, doc: Document, actor: Person) -> object | None:
    """`import --register`: register only when every required field was read with confidence.

    Otherwise the document stays in "chờ vào sổ" for the clerk to check; returns
    the Registration, or None when it waits.
    """
    from desk.services.registers import register_incoming

    required = [c for c in unsure_fields(session, doc) if c.name != "signer_name"]
    if required:
        return None
    return register_incoming(session, doc, actor, automatic=True)
