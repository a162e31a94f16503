"""Drafts of outgoing documents: create from a template, check out, check in, versions.

Each saved state of the Word file is a version: an Attachment of kind "draft"
at the next position, its bytes in the blob store (written and fsynced before
the row that names it). Versions are never replaced or deleted. The working
copy a word processor edits lives in ``<data folder>/work/<doc id>/``.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit, search, workflow
from desk.blobs import BlobStore, sha256_file
from desk.drafting.fill import document_text, fill_template
from desk.drafting.templates import template_path, template_spec
from desk.drafting.values import draft_values
from desk.errors import ConflictError, NotFoundError, ValidationError
from desk.models import Attachment, Document, DocumentEvent, Person
from desk.office import Office
from desk.services.documents import (
    DocumentInput,
    FileInput,
    add_files,
    create_outgoing,
    get_document,
)

DRAFT_KIND = "draft"


@dataclass(frozen=True)
class DraftVersion:
    number: int  # 1, 2, …
    attachment_id: int
    filename: str
    sha256: str
    size: int
    saved_at: datetime | None
    saved_by: int | None  # person id


def version_filename(number: int) -> str:
    return f"du-thao-v{number}.docx"


def work_dir(office: Office, doc_id: int) -> Path:
    return office.paths.home / "work" / str(doc_id)


def work_path(office: Office, doc_id: int) -> Path:
    """The working copy; its name stays the same across versions (the editor keeps it open)."""
    return work_dir(office, doc_id) / f"du-thao-{doc_id}.docx"


def create_draft(
    session: Session, store: BlobStore, data: DocumentInput, template_code: str,
    actor: Person | None, *, body: str = "", response_for_id: int | None = None,
    values: Mapping[str, str] | None = None, template_dir: Path | None = None,
) -> Document:
    """A new outgoing document in state draft, its first version filled from a template.

    ``response_for_id`` links the draft to the incoming document it answers.
    ``values`` override the computed placeholder values (e.g. ``can_cu``);
    ``template_dir`` is an office's folder of edited templates, tried first.
    """
    spec = template_spec(template_code)
    if data.doc_type != spec.doc_type:
        raise ValidationError(
            f"Mẫu «{spec.title}» dùng cho loại văn bản {spec.doc_type}, không phải {data.doc_type}.",
            f"Template {spec.code!r} is for document type {spec.doc_type}, not {data.doc_type}.",
            code="template_type")
    data = data.validated()
    if response_for_id is not None:
        answered = get_document(session, response_for_id)
        if answered.direction != "in":
            raise ValidationError(
                f"Văn bản #{response_for_id} không phải văn bản đến, không thể trả lời.",
                f"Document #{response_for_id} is not an incoming document.", code="not_incoming")
    filled = draft_values(session, data, spec, actor, body)
    filled.update(values or {})
    with tempfile.TemporaryDirectory(prefix="desk-draft-") as tmp:
        out = Path(tmp) / version_filename(1)
        left = fill_template(template_path(spec.code, template_dir), filled, out)
        text = document_text(out)
        doc = create_outgoing(session, store, data, actor, text=text, files=[
            FileInput(out, filename=version_filename(1), kind=DRAFT_KIND)])
    doc.response_for_id = response_for_id
    audit.record(session, actor.username if actor else None, "draft.create", "document", doc.id,
                 template=spec.code, response_for=response_for_id, unfilled=left)
    return doc


def _drafts(doc: Document) -> list[Attachment]:
    return [a for a in doc.attachments if a.kind == DRAFT_KIND]


def _latest(doc: Document) -> Attachment:
    drafts = _drafts(doc)
    if not drafts:
        raise NotFoundError(f"Văn bản #{doc.id} không có dự thảo Word.",
                            f"Document #{doc.id} has no Word draft.", code="no_draft")
    return drafts[-1]


def versions(session: Session, doc_id: int) -> list[DraftVersion]:
    doc = get_document(session, doc_id)
    saved: dict[str, tuple[datetime, int | None]] = {}
    for ev in session.scalars(select(DocumentEvent).where(
            DocumentEvent.document_id == doc_id, DocumentEvent.action.in_(("edit", "revise")))):
        sha = (ev.data or {}).get("draft_sha256")
        if isinstance(sha, str):
            saved.setdefault(sha, (ev.at, ev.actor_id))
    out = []
    for n, a in enumerate(_drafts(doc), start=1):
        at, by = saved.get(a.blob_sha256, (doc.created_at, doc.created_by)) if n > 1 else \
            (doc.created_at, doc.created_by)
        out.append(DraftVersion(n, a.id, a.filename, a.blob_sha256, a.size, at, by))
    return out


def checkout(office: Office, doc_id: int) -> Path:
    """Copy the latest version to the working file (kept as is when it already matches).

    A working file holding edits that are no version yet is never overwritten:
    check it in first (``checkin``).
    """
    with office.db.read() as s:
        doc = get_document(s, doc_id)
        latest = _latest(doc)
        known = {a.blob_sha256 for a in _drafts(doc)}
    path = work_path(office, doc_id)
    if path.exists():
        current = sha256_file(path)
        if current == latest.blob_sha256:
            return path
        if current not in known:
            raise ConflictError(
                f"Tệp đang sửa {path} có thay đổi chưa được lưu thành phiên bản. "
                f"Hãy lưu phiên bản trước (desk draft checkin {doc_id}).",
                f"The working file {path} has changes that are not a version yet. "
                f"Check it in first (desk draft checkin {doc_id}).", code="unsaved_work")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    office.blobs.copy_to(latest.blob_sha256, tmp)
    os.replace(tmp, path)
    return path


def _check_docx(data: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            z.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise ValidationError(
            f"Tệp {path.name} chưa lưu xong hoặc không phải tài liệu Word (.docx); "
            "hãy lưu lại ở định dạng .docx.",
            f"{path.name} is not completely saved or is not a Word (.docx) document; "
            "save it again as .docx.", code="bad_docx") from None


def checkin(office: Office, doc_id: int, actor: Person | None) -> bool:
    """Store the working file as a new version if it differs from the latest one.

    Returns whether a version was added. The bytes hashed are the bytes stored:
    the file is read once, checked to be a complete .docx, written to the blob
    store and only then recorded.
    """
    with office.db.read() as s:
        latest = _latest(get_document(s, doc_id)).blob_sha256
    path = work_path(office, doc_id)
    if not path.is_file():
        raise NotFoundError(f"Chưa có tệp đang sửa của văn bản #{doc_id} ({path}).",
                            f"Document #{doc_id} has no working file ({path}).",
                            code="no_work_file")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if latest == sha:
        return False
    _check_docx(data, path)
    snapshot_dir = Path(tempfile.mkdtemp(prefix="checkin-", dir=path.parent))
    try:
        snapshot = snapshot_dir / path.name
        snapshot.write_bytes(data)
        with office.db.write() as s:
            doc = get_document(s, doc_id)
            drafts = _drafts(doc)
            if drafts and drafts[-1].blob_sha256 == sha:  # another process was first
                return False
            # The drafter edits a draft; only a reviewer (a leader, such as the head of
            # unit) revises it while it is under review: the drafter waits for it back.
            reviewer = actor is not None and "lanh_dao" in actor.role_names
            action = "revise" if doc.state != "draft" and reviewer else "edit"
            workflow.check("out", doc.state, action)
            number = len(drafts) + 1
            add_files(s, office.blobs, doc, [
                FileInput(snapshot, filename=version_filename(number), kind=DRAFT_KIND)], actor,
                action=action)
            workflow.apply(s, doc, action, actor.id if actor else None,
                           note=f"Phiên bản dự thảo {number}",
                           data={"draft_version": number, "draft_sha256": sha})
            search.index_document(s, doc, document_text(snapshot))
        return True
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)
