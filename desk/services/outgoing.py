"""Outgoing documents from signed PDF to release: the leader's signature, then the
clerk's number, date and organisation signature, then the package queued to send.

Order (Decree 30 App. I, and the axis practice):

1. ``prepare_pdf``: the converted draft gets empty number/date form fields in its
   blanks, before anyone signs, and becomes the document's main file.
2. ``leader_sign``: the leader's visible signature (image between position and
   name), an incremental update.
3. ``number_seal_release``: in ONE write transaction the next outgoing number is
   taken, written with the date into the fields (form filling, which the leader's
   signature allows), the organisation's seal signature is added, the signed
   file stored and the document released and queued. If signing fails, the
   transaction rolls back and the number goes back: no gap in the register.

Every version of the main file is kept (attachments of kind "main"; the newest is
the current one). Signing happens with a key session the caller opened (token PIN
dialog in the app, prompt in the CLI); this module never asks for a PIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.errors import ValidationError
from desk.models import Attachment, Blob, Document, Organization, Person
from desk.office import Office
from desk.reference import Role, format_code, format_number
from desk.services.people import require_role, self_org
from desk.services.registers import Registration, issue_outgoing_number
from desk.services.release import release


def _fields_of(pdf: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    return set((PdfReader(io.BytesIO(pdf)).get_fields() or {}).keys())


def current_main(doc: Document) -> Attachment | None:
    """The current main PDF: the newest attachment of kind 'main'."""
    mains = [a for a in doc.attachments if a.kind == "main"]
    return max(mains, key=lambda a: a.id) if mains else None


def files_to_send(doc: Document) -> list[Attachment]:
    """What goes into the package: the current main file and the separate attachments."""
    main = current_main(doc)
    return ([main] if main else []) + [a for a in doc.attachments if a.kind == "attachment"]


def _store_version(session: Session, office: Office, doc: Document, data: bytes, name: str,
                   kind: str = "main") -> Attachment:
    blob = office.blobs.put_bytes(data)
    with session.no_autoflush:
        if session.get(Blob, blob.sha256) is None:
            session.add(Blob(sha256=blob.sha256, size=blob.size, created_at=now()))
    att = Attachment(blob_sha256=blob.sha256, filename=name, content_type="application/pdf",
                     size=blob.size, position=len(doc.attachments), kind=kind)
    doc.attachments.append(att)
    session.flush()
    return att


def _main_bytes(office: Office, doc: Document) -> bytes:
    main = current_main(doc)
    if main is None:
        raise ValidationError("Văn bản chưa có tệp PDF để ký.", "The document has no PDF to sign yet.",
                              code="no_pdf")
    return office.blobs.read_bytes(main.blob_sha256)


def _clerk_boxes(pdf: bytes) -> dict[str, tuple[int, Any]] | None:
    """The four blanks (số, ngày, tháng, năm) of a PDF converted from Desk's templates."""
    import tempfile

    from desk.drafting import locate_blanks
    from signing import Box

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        try:
            places = locate_blanks(Path(f.name))
        except ValidationError:
            return None
    return {name: (b.page, Box(b.x0, b.y0, b.x1, b.y1)) for name, b in places.clerk_boxes().items()}


def prepare_pdf(office: Office, doc_id: int, pdf: bytes, actor: Person, *,
                filename: str | None = None) -> Attachment:
    """Make ``pdf`` (the converted draft) the main file, with empty number and date fields.

    Drafts from Desk's templates leave four blanks (số, ngày, tháng, năm) whose places
    are measured on the PDF; any other PDF gets fields found by the text around them
    (number, day and month; its year is already printed).
    """
    from signing import default_anchors, prepare_clerk_fields

    with office.db.write() as s:
        doc = s.get(Document, doc_id)
        if doc is None or doc.direction != "out":
            raise ValidationError(f"Không có văn bản đi #{doc_id}.", f"No outgoing document #{doc_id}.")
        if doc.state not in ("draft", "in_review", "awaiting_signature"):
            workflow.check("out", doc.state, "edit")
        boxes = _clerk_boxes(pdf)
        prepared = (prepare_clerk_fields(pdf, boxes=boxes) if boxes
                    else prepare_clerk_fields(pdf, default_anchors(doc.notation or "")))
        name = filename or f"{doc.doc_type}-{doc.id}.pdf"
        att = _store_version(s, office, doc, prepared, name)
        audit.record(s, actor.username, "document.pdf", "document", doc.id, sha256=att.blob_sha256)
        return att


@dataclass(frozen=True)
class SignedVersion:
    attachment_id: int
    sha256: str
    level: str
    pending_proof: bool
    note: str


def _image(office: Office, sha: str | None, what_vi: str, what_en: str) -> Any:
    from signing import ImageAsset

    if not sha:
        raise ValidationError(f"Chưa có ảnh {what_vi}; hãy khai báo trong phần Cài đặt.",
                              f"No {what_en} image yet; add it in Settings.", code="no_image")
    return ImageAsset(office.blobs.read_bytes(sha), what_en)


def leader_sign(office: Office, doc_id: int, signer: Any, leader: Person, *,
                placement: Any = None, image: bytes | None = None) -> SignedVersion:
    """The leader's visible signature. ``signer`` is a signing.DocumentSigner on the leader's key.

    ``placement`` (a signing.Placement) overrides the text search for where the image
    goes (the leader moved it on the preview); ``image`` overrides the stored signature image.
    """
    from signing import LeaderAppearance

    require_role(leader, Role.LEADER)
    with office.db.read() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise ValidationError(f"Không có văn bản #{doc_id}.", f"No document #{doc_id}.")
        workflow.check("out", doc.state, "sign")
        data = _main_bytes(office, doc)
        main_name = current_main(doc).filename  # type: ignore[union-attr]
        person = s.get(Person, leader.id)
        assert person is not None
        from signing import ImageAsset

        picture = (ImageAsset(image, "signature") if image is not None else
                   _image(office, person.signature_sha256, "chữ ký của lãnh đạo", "leader's signature"))
        # The image goes into the draft's signature block: its position and name lines
        # (the draft names who signs, e.g. "KT. CHỦ TỊCH"), else the leader's own.
        appearance = LeaderAppearance(image=picture, title=(doc.signer_position or person.position or "").upper(),
                                      name=doc.signer_name or person.full_name, box=placement)
    signed, result = signer.sign_bytes(data, appearance=appearance)
    with office.db.write() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        att = _store_version(s, office, doc, signed, main_name)
        doc.signer_name, doc.signer_position = leader.full_name, leader.position
        workflow.apply(s, doc, "sign", leader.id, note=result.note_vi or None, data={
            "level": str(result.level), "pending_proof": result.pending_proof,
            "signer": result.signer.subject_cn if hasattr(result.signer, "subject_cn") else None})
        audit.record(s, leader.username, "document.sign", "document", doc.id,
                     sha256=att.blob_sha256, level=str(result.level))
        return SignedVersion(att.id, att.blob_sha256, str(result.level), result.pending_proof,
                             result.note_vi)


def number_seal_release(office: Office, doc_id: int, signer: Any, clerk: Person, *,
                        recipients: Sequence[tuple[str, str]] = (),
                        issued: date | None = None) -> tuple[Registration, SignedVersion]:
    """The clerk's step: number and date into the fields, the seal signature, release, queue.

    ``signer`` is a signing.DocumentSigner on the organisation's key.
    """
    from signing import AttachmentAppearance, SealAppearance, fill_clerk_fields

    require_role(clerk, Role.CLERK)
    with office.db.write() as s:  # holds the register's lock until the release is committed
        doc = s.get(Document, doc_id)
        if doc is None:
            raise ValidationError(f"Không có văn bản #{doc_id}.", f"No document #{doc_id}.")
        workflow.check("out", doc.state, "release")
        org: Organization = self_org(s)
        seal = SealAppearance(image=_image(office, org.seal_sha256, "con dấu", "seal"))
        data = _main_bytes(office, doc)
        main_name = current_main(doc).filename  # type: ignore[union-attr]
        reg = issue_outgoing_number(s, doc, clerk, issued)
        assert doc.issued_date is not None
        values = {"So": format_number(reg.number), "Ngay": f"{doc.issued_date.day:02d}",
                  "Thang": f"{doc.issued_date.month:02d}", "Nam": str(doc.issued_date.year)}
        filled = fill_clerk_fields(data, {k: v for k, v in values.items() if k in _fields_of(data)})
        sealed, result = signer.sign_bytes(filled, appearance=seal)
        att = _store_version(s, office, doc, sealed, main_name)
        # Separate attachments (phụ lục) are signed by the clerk too: top right of page 1, no image.
        code = format_code(doc.number, doc.notation)
        for extra in [a for a in doc.attachments if a.kind == "attachment"
                      and a.content_type == "application/pdf"]:
            raw = office.blobs.read_bytes(extra.blob_sha256)
            signed_extra, _ = signer.sign_bytes(raw, appearance=AttachmentAppearance(number=code))
            blob = office.blobs.put_bytes(signed_extra)
            if s.get(Blob, blob.sha256) is None:
                s.add(Blob(sha256=blob.sha256, size=blob.size, created_at=now()))
            extra.blob_sha256, extra.size = blob.sha256, blob.size
        release(s, doc, clerk, recipients)
        audit.record(s, clerk.username, "document.seal", "document", doc.id, sha256=att.blob_sha256,
                     level=str(result.level))
        return reg, SignedVersion(att.id, att.blob_sha256, str(result.level), result.pending_proof,
                                  result.note_vi)


def set_signature_image(office: Office, person_id: int, png: Path, actor: Person) -> None:
    _set_image(office, png, actor, person_id=person_id)


def set_seal_image(office: Office, png: Path, actor: Person) -> None:
    _set_image(office, png, actor)


def _set_image(office: Office, png: Path, actor: Person, person_id: int | None = None) -> None:
    from signing import ImageAsset

    data = Path(png).read_bytes()
    ImageAsset(data, png.name)  # refuses anything that is not a readable PNG
    blob = office.blobs.put_bytes(data)
    with office.db.write() as s:
        if s.get(Blob, blob.sha256) is None:
            s.add(Blob(sha256=blob.sha256, size=blob.size, created_at=now()))
        if person_id is None:
            require_role(actor, Role.CLERK)
            self_org(s).seal_sha256 = blob.sha256
            audit.record(s, actor.username, "office.seal", "organization", None, sha256=blob.sha256)
        else:
            person = s.get(Person, person_id)
            if person is None:
                raise ValidationError(f"Không có người dùng #{person_id}.", f"No person #{person_id}.")
            person.signature_sha256 = blob.sha256
            audit.record(s, actor.username, "person.signature", "person", person_id,
                         sha256=blob.sha256)


def versions(session: Session, doc_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(
        Attachment.document_id == doc_id, Attachment.kind == "main").order_by(Attachment.id)))


def make_copy(office: Office, doc_id: int, kind: Any, signer: Any, clerk: Person) -> Attachment:
    """An electronic copy (SAO Y / SAO LỤC / TRÍCH SAO, Decree 30 App. I): the document's
    current PDF with the organisation's signature at the top right of page 1, no image,
    "kind + agency + ISO 8601 time" in 10 pt. Kept as an attachment of kind "copy"."""
    from signing import CopyAppearance

    require_role(clerk, Role.CLERK)
    with office.db.read() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise ValidationError(f"Không có văn bản #{doc_id}.", f"No document #{doc_id}.")
        data = _main_bytes(office, doc)
        agency = self_org(s).name
        name = f"{str(kind.value).replace(' ', '-')}-{current_main(doc).filename}"  # type: ignore[union-attr]
    signed, _ = signer.sign_bytes(data, appearance=CopyAppearance(kind=kind, agency=agency))
    with office.db.write() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        att = _store_version(s, office, doc, signed, name, kind="copy")
        audit.record(s, clerk.username, "document.copy", "document", doc_id, kind=str(kind.value),
                     sha256=att.blob_sha256)
        return att
