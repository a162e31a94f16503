"""The one API for every user action, by id (the desktop app's operations and the CLI call it).

Each function opens and commits its own write transaction: the step is checked
against the workflow table, the history, audit entry, search queue and any outbox
item are written in that transaction (by the session-level services it calls), and
it returns a :class:`Changed` value saying what the caller must refresh. Front ends
never open a transaction, run SQL or compare state strings; they call these.

Signing steps take a ``signer`` (a ``signing.DocumentSigner`` on a key session the
front end opened after asking for the PIN); this module never asks for a PIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from desk.errors import NotFoundError
from desk.models import Person
from desk.office import Office
from desk.reference import Role
from desk.services import outgoing, registers, review, routing
from desk.services.documents import (
    DocumentInput,
    DuplicateHit,
    get_document,
    import_prepared,
    read_for_import,
    store_text,
    update_metadata,
)
from desk.services.routing import AssignTarget

if TYPE_CHECKING:
    from desk.docread import PreparedFile
    from signing.trust import TrustSettings


@dataclass(frozen=True)
class Changed:
    """What an action changed, for the caller to refresh (Anki's OpChanges in spirit)."""

    documents: tuple[int, ...] = ()
    registers: bool = False  # a register (sổ) got a new entry
    count: int = 0  # how many things the action made (assignments, imported files …)
    value: Any = None  # the action's own result (a Registration, a SignedVersion …)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (item, message) not done


def actor(session: Session, person_id: int | None) -> Person:
    """The acting person, or a clear error when nobody is chosen on this PC."""
    p = session.get(Person, person_id) if person_id is not None else None
    if p is None:
        raise NotFoundError("Chưa chọn người dùng trên máy này (Cài đặt → Người dùng).",
                            "No user is chosen on this PC (Settings → People).", code="no_user")
    return p


def resolve_actor(office: Office, username: str | None, role: Role | None = None) -> int:
    """The id of the person acting (a login name, else the first person with ``role``),
    checked to hold ``role`` (the CLI's --as / $DESK_USER)."""
    from desk.services.people import default_person, person_by_username, require_role

    with office.db.read() as s:
        p = person_by_username(s, username) if username else default_person(s, role)
        if role is not None:
            require_role(p, role)
        return p.id


# --- incoming -------------------------------------------------------------------------------------


def read_file(path: Path) -> PreparedFile:
    """Read a file for import (text, layout, OCR of the first pages, conversion of a DOCX/ODT):
    slow, and done before any transaction is open. The caller cleans it up."""
    return read_for_import(path)


def import_file(office: Office, path: Path, actor_id: int | None,
                trust: TrustSettings | None = None, prepared: PreparedFile | None = None) -> Changed:
    """One file as a new incoming document, in its own short transaction.

    The file is read first (or ``prepared`` by :func:`read_file`); with ``trust``, its
    signatures are verified, also outside the transaction, and the verdict is kept with the
    receiving event.
    """
    from desk.signatures import check_files

    p = prepared or read_for_import(path)
    try:
        verdicts = check_files([(path.name, path)], trust) if trust is not None and path.is_file() else {}
        with office.db.write() as s:
            doc = import_prepared(s, office.blobs, p, actor(s, actor_id), signatures=verdicts)
            return Changed(documents=(doc.id,), count=1, value=doc.id)
    finally:
        if prepared is None:
            p.cleanup()


@dataclass(frozen=True)
class Imported:
    """What `desk import` says of one file: the new document, its registration (with
    ``register``, when every required field was read with confidence), the fields to check
    and the earlier documents it may repeat."""

    doc_id: int
    code: str
    subject: str
    registration: Any  # a Registration, or None
    unsure: list[str]  # names of fields read without confidence (the signer's name aside)
    duplicates: list[DuplicateHit]
    handwritten: list[str] = field(default_factory=list)  # of those, written by hand on the scan


def import_checked(office: Office, prepared: PreparedFile, actor_id: int | None,
                   signatures: dict[str, Any], *, register: bool = False) -> Changed:
    """A file read by :func:`read_file` (and its ``signatures`` verified), in one transaction:
    a new incoming document, checked for fields to confirm and possible duplicates, and with
    ``register`` registered when nothing needs checking. ``value`` is an :class:`Imported`."""
    from desk.reference import format_code
    from desk.services.documents import find_duplicates, register_if_confident, unsure_fields

    with office.db.write() as s:
        who = actor(s, actor_id)
        doc = import_prepared(s, office.blobs, prepared, who, signatures=signatures)
        dups = find_duplicates(s, DocumentInput(
            doc_type=doc.doc_type, subject=doc.subject, number=doc.number, notation=doc.notation,
            issuer_name=doc.issuer_name, edxml_document_id=doc.edxml_document_id), exclude_id=doc.id)
        checks = [c for c in unsure_fields(s, doc) if c.name != "signer_name"]
        unsure = [c.name for c in checks]
        reg = register_if_confident(s, doc, who) if register and not dups else None
        done = Imported(doc.id, format_code(doc.number, doc.notation), doc.subject, reg, unsure, dups,
                        [c.name for c in checks if c.handwritten])
        return Changed(documents=(doc.id,), registers=reg is not None, count=1, value=done)


def store_ocr_text(office: Office, doc_id: int, text: str) -> Changed:
    """The text of a scan's remaining pages (read in the background) into the document and the index."""
    with office.db.write() as s:
        store_text(s, get_document(s, doc_id), text)
        return Changed(documents=(doc_id,))


def register(office: Office, doc_id: int, actor_id: int | None, changes: dict[str, Any] | None = None,
             note: str | None = None) -> Changed:
    """Correct the fields (if any) and register, in one transaction: the number is taken only
    if both succeed."""
    with office.db.write() as s:
        who, doc = actor(s, actor_id), get_document(s, doc_id)
        if changes:
            update_metadata(s, doc, changes, who)
        reg = registers.register_incoming(s, doc, who, note)
        return Changed(documents=(doc_id,), registers=True, value=reg)


def edit(office: Office, doc_id: int, actor_id: int | None, changes: dict[str, Any], *,
         confirm: Sequence[str] = ()) -> Changed:
    """Correct a document's fields (and confirm fields read without confidence as they are).
    ``value`` is the document's (code, subject) as stored."""
    from desk.reference import format_code

    with office.db.write() as s:
        doc = update_metadata(s, get_document(s, doc_id), changes, actor(s, actor_id), confirm=list(confirm))
        return Changed(documents=(doc_id,), value=(format_code(doc.number, doc.notation), doc.subject))


def present(office: Office, doc_ids: Sequence[int], actor_id: int | None, leader_id: int | None = None,
            note: str | None = None) -> Changed:
    with office.db.write() as s:
        who = actor(s, actor_id)
        leader = s.get(Person, leader_id) if leader_id else None
        for doc_id in doc_ids:
            routing.present(s, get_document(s, doc_id), who, leader, note)
        return Changed(documents=tuple(doc_ids), count=len(doc_ids))


def assign(office: Office, doc_id: int, actor_id: int | None, targets: list[AssignTarget],
           deadline: date | None = None, note: str | None = None) -> Changed:
    with office.db.write() as s:
        made = routing.assign(s, get_document(s, doc_id), actor(s, actor_id), targets, deadline, note)
        return Changed(documents=(doc_id,), count=len(made))


def report_progress(office: Office, doc_id: int, actor_id: int | None, percent: int,
                    text: str) -> Changed:
    with office.db.write() as s:
        routing.report_progress(s, get_document(s, doc_id), actor(s, actor_id), percent, text)
        return Changed(documents=(doc_id,))


def add_opinion(office: Office, doc_id: int, actor_id: int | None, text: str) -> Changed:
    with office.db.write() as s:
        routing.add_opinion(s, get_document(s, doc_id), actor(s, actor_id), text)
        return Changed(documents=(doc_id,))


def finish(office: Office, doc_id: int, actor_id: int | None, text: str | None = None) -> Changed:
    with office.db.write() as s:
        routing.finish(s, get_document(s, doc_id), actor(s, actor_id), text)
        return Changed(documents=(doc_id,))


def return_to_leader(office: Office, doc_id: int, actor_id: int | None, reason: str) -> Changed:
    with office.db.write() as s:
        routing.return_to_leader(s, get_document(s, doc_id), actor(s, actor_id), reason)
        return Changed(documents=(doc_id,))


# --- outgoing -------------------------------------------------------------------------------------


def submit(office: Office, doc_id: int, actor_id: int | None, note: str | None = None, *,
           review_first: bool = False) -> Changed:
    """Trình: the draft goes to the leader for signature, or first to the head of unit."""
    with office.db.write() as s:
        who, doc = actor(s, actor_id), get_document(s, doc_id)
        if review_first:
            review.submit_for_review(s, doc, who, note)
        else:
            review.submit(s, doc, who, note)
        return Changed(documents=(doc_id,))


def approve(office: Office, doc_id: int, actor_id: int | None, note: str | None = None) -> Changed:
    with office.db.write() as s:
        review.approve(s, get_document(s, doc_id), actor(s, actor_id), note)
        return Changed(documents=(doc_id,))


def return_draft(office: Office, doc_id: int, actor_id: int | None, reason: str) -> Changed:
    """Back to the drafter with the reason (from the head of unit or the leader)."""
    with office.db.write() as s:
        review.return_draft(s, get_document(s, doc_id), actor(s, actor_id), reason)
        return Changed(documents=(doc_id,))


def person(office: Office, actor_id: int | None) -> Person:
    """The acting person, read in its own transaction (for services that sign outside one)."""
    with office.db.read() as s:
        return actor(s, actor_id)


def sign(office: Office, doc_id: int, signer: Any, actor_id: int | None, *, placement: Any = None,
         image: bytes | None = None) -> Changed:
    """The leader's visible signature (name and position recorded): outgoing.leader_sign."""
    version = outgoing.leader_sign(office, doc_id, signer, person(office, actor_id), placement=placement,
                                   image=image)
    return Changed(documents=(doc_id,), value=version)


def release(office: Office, doc_id: int, signer: Any, actor_id: int | None, *,
            recipients: Sequence[tuple[str, str]] = (), issued: date | None = None) -> Changed:
    """The clerk's step: number, date, the organisation's signature, release and queue to send."""
    reg, _version = outgoing.number_seal_release(office, doc_id, signer, person(office, actor_id),
                                                 recipients=recipients, issued=issued)
    return Changed(documents=(doc_id,), registers=True, value=reg)


def return_document(office: Office, doc_id: int, actor_id: int | None, reason: str) -> Changed:
    """Trả lại: an incoming document goes back to the leader; a draft back to its author."""
    with office.db.write() as s:
        doc, who = get_document(s, doc_id), actor(s, actor_id)
        if doc.direction == "in":
            routing.return_to_leader(s, doc, who, reason)
        else:
            review.return_draft(s, doc, who, reason)
        return Changed(documents=(doc_id,))


# --- the office ---------------------------------------------------------------------------------


def set_up_office(office: Office, code: str, name: str, *, place: str | None = None,
                  notation: str | None = None, parent_code: str | None = None,
                  by: str | None = "settings") -> tuple[str, str]:
    """The organisation this office is (its QCVN 102 ID cannot change afterwards); returns
    (code, name) as stored."""
    from desk.services.people import init_office

    with office.db.write() as s:
        org = init_office(s, code, name, place=place, notation=notation, parent_code=parent_code, actor=by)
        return org.code, org.name


def add_person(office: Office, username: str, full_name: str, roles: Sequence[str], *,
               position: str | None = None, unit_id: int | None = None, by: str | None = "settings") -> int:
    from desk.errors import ValidationError
    from desk.models import Unit
    from desk.services import people

    with office.db.write() as s:
        unit = s.get(Unit, unit_id) if unit_id else None
        if unit_id and unit is None:
            raise ValidationError(f"Không có đơn vị #{unit_id}.", f"No unit #{unit_id}.")
        try:
            return people.add_person(s, username, full_name, roles, position=position, unit=unit, actor=by).id
        except ValueError as exc:  # a role name that is not one of Role's
            raise ValidationError(f"Vai trò không hợp lệ ({exc}); dùng van_thu, lanh_dao, chuyen_vien.",
                                  f"Invalid role ({exc}); use van_thu, lanh_dao, chuyen_vien.") from exc


def add_unit(office: Office, name: str, notation: str | None = None, *, by: str | None = None) -> int:
    from desk.services import people

    with office.db.write() as s:
        return people.add_unit(s, name, notation, actor=by).id


def save_organization(office: Office, code: str, name: str) -> tuple[str, str]:
    """An organisation of the directory (danh bạ), added or renamed; returns (code, name)."""
    from desk.services.people import upsert_organization

    with office.db.write() as s:
        org = upsert_organization(s, code, name)
        return org.code, org.name


# --- drafts ---------------------------------------------------------------------------------------


def new_draft(office: Office, actor_id: int | None, template_code: str, data: DocumentInput, *,
              signer: str | None = None, body: str = "", reply_to: int | None = None,
              template_dir: Path | None = None) -> Changed:
    """A new outgoing draft from a Word template; ``signer`` (a login name) fills the
    signature block's position and name. ``value`` is the new document's (id, subject)."""
    from dataclasses import replace

    from desk.drafting import create_draft
    from desk.services.people import person_by_username

    with office.db.write() as s:
        who = actor(s, actor_id)
        if signer:
            p = person_by_username(s, signer)
            data = replace(data, signer_position=p.position, signer_name=p.full_name)
        doc = create_draft(s, office.blobs, data, template_code, who, body=body, response_for_id=reply_to,
                           template_dir=template_dir)
        return Changed(documents=(doc.id,), value=(doc.id, doc.subject))
