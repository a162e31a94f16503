"""Creating, importing and editing documents."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk import audit, search, workflow
from desk.blobs import BlobStore
from desk.clock import now
from desk.errors import NotFoundError, ValidationError
from desk.models import Attachment, Blob, Document, Person, Recipient
from desk.reference import Confidentiality, Urgency, doc_type, normalize_code, validate_org_id

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
                    actor: Person | None) -> Document:
    """Edit a document's fields; refused once it is past the editable states."""
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
    workflow.apply(session, doc, "edit", actor.id if actor else None, data={"changes": diff})
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


def _is_bomb(path: Path) -> bool:
    """A decompression bomb is never rendered (OCR would inflate it whole)."""
    from signing.pdfsafety import scan_pdf

    return scan_pdf(path).bomb


def read_for_import(path: Path, *, ocr: bool = True) -> tuple[int, str, bool]:
    """Page count and text of a PDF; scans (no real text layer) are OCRed when possible.

    Returns (pages, text, ocr_used). Slow for scans: call it off the GUI thread.
    """
    from desk.ocr import OcrUnavailable, needs_ocr, ocr_pdf
    from desk.pdftext import read_pdf

    if _is_bomb(path):  # neither text extraction nor OCR inflates a bomb
        try:
            from pypdf import PdfReader

            return len(PdfReader(str(path)).pages), "", False
        except Exception:  # noqa: BLE001 - read_pdf below says what is wrong with the file
            pass
    info = read_pdf(path)
    if ocr and needs_ocr(info.text):
        try:
            return info.pages, ocr_pdf(path) + "\n" + info.text, True
        except OcrUnavailable:
            pass
    return info.pages, info.text, False


def import_pdf(session: Session, store: BlobStore, path: Path, actor: Person | None,
               *, overrides: dict[str, object] | None = None, ocr: bool = True,
               prepared: tuple[int, str, bool] | None = None) -> Document:
    """Import a PDF as an incoming document, pre-filling what its text (or OCR) says.

    ``prepared`` is what :func:`read_for_import` returned, when the caller read the
    file before opening the write transaction (OCR takes seconds).
    """
    from desk.pdftext import GuessedFields, guess_fields

    path = Path(path)
    pages, text, _ = prepared or read_for_import(path, ocr=ocr)
    g: GuessedFields = guess_fields(text)
    info_pages, info_text = pages, text
    data = DocumentInput(
        doc_type=g.doc_type or "CV",
        subject=g.subject or path.stem.replace("_", " "),
        number=g.number, notation=g.notation, issued_date=g.issued_date, place=g.place,
        issuer_name=g.issuer_name, page_count=info_pages,
    )
    if overrides:
        data = replace(data, **overrides)  # type: ignore[arg-type]
    return create_incoming(session, store, data, actor, files=[FileInput(path)],
                           source="paper", text=info_text or None)
