"""Read-only queries behind the CLI's tables and reports (``desk user list``, ``desk show``,
``desk outbox``, ``desk audit verify`` …).

Each function opens its own read transaction and returns plain values (or objects fully
loaded before the read ends), so the CLI, like the app, never opens a session or runs SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from desk.models import Blob, Document, Opinion, Organization, OutboxItem, Person, Unit
from desk.office import Office

if TYPE_CHECKING:
    from desk.audit import AuditProblem
    from desk.blobs import FsckReport
    from desk.drafting.service import DraftVersion
    from desk.models import RegisterEntry
    from desk.services.documents import FieldCheck
    from desk.services.routing import DeadlineItem


# --- the office: people, units, organisations --------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    position: str
    roles: frozenset[str]
    unit: str  # the unit's name, "" for none


def users(office: Office) -> list[UserRow]:
    """Everyone of the office (active or not), in the order they were added."""
    with office.db.read() as s:
        return [UserRow(p.id, p.username, p.full_name, p.position or "", frozenset(p.role_names),
                        p.unit.name if p.unit else "")
                for p in s.scalars(select(Person).order_by(Person.id))]


def unit_rows(office: Office) -> list[tuple[int, str, str]]:
    """(id, name, notation) of every unit."""
    with office.db.read() as s:
        return [(u.id, u.name, u.notation or "") for u in s.scalars(select(Unit).order_by(Unit.id))]


def organisations(office: Office) -> list[tuple[str, str, bool]]:
    """(code, name, is this office) of the directory, by code."""
    with office.db.read() as s:
        return [(o.code, o.name, bool(o.is_self))
                for o in s.scalars(select(Organization).order_by(Organization.code))]


def is_set_up(office: Office) -> bool:
    """Whether the office has its own organisation (``desk init`` or the demo ran)."""
    with office.db.read() as s:
        n = s.scalar(select(func.count()).select_from(Organization).where(Organization.is_self))
        return bool(n)


def names(office: Office) -> tuple[dict[int, str], dict[int, str]]:
    """Full names of people and names of units, by id."""
    with office.db.read() as s:
        return ({p.id: p.full_name for p in s.scalars(select(Person))},
                {u.id: u.name for u in s.scalars(select(Unit))})


@dataclass(frozen=True)
class Overview:
    org_name: str
    org_code: str
    by_state: dict[tuple[str, str], int]  # (direction, state) → documents
    overdue: int
    due_soon: int


def overview(office: Office) -> Overview:
    from desk.services.people import self_org
    from desk.services.routing import due_soon, overdue

    with office.db.read() as s:
        org = self_org(s)
        counts = {(d, st): int(n) for d, st, n in s.execute(
            select(Document.direction, Document.state, func.count()).group_by(
                Document.direction, Document.state))}
        return Overview(org.name, org.code, counts, len(overdue(s)), len(due_soon(s)))


# --- deadlines, drafts, outbox ----------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    overdue: list[DeadlineItem]
    due_soon: list[DeadlineItem]
    people: dict[int, str]  # full names by id
    units: dict[int, str]


def deadlines(office: Office, *, person: str | None = None, unit_id: int | None = None,
              within: int = 2) -> Deadlines:
    """Open assignments past their deadline and due within ``within`` working days."""
    from desk.services.people import person_by_username
    from desk.services.routing import due_soon, overdue

    with office.db.read() as s:
        pid = person_by_username(s, person).id if person else None
        late = overdue(s, person_id=pid, unit_id=unit_id)
        soon = due_soon(s, within_working_days=within, person_id=pid, unit_id=unit_id)
    people, units = names(office)
    return Deadlines(late, soon, people, units)


def draft_versions(office: Office, doc_id: int) -> list[tuple[DraftVersion, str]]:
    """A draft's versions, each with the full name of who saved it ("" when unknown)."""
    from desk.drafting import versions

    with office.db.read() as s:
        out = []
        for v in versions(s, doc_id):
            who = s.get(Person, v.saved_by) if v.saved_by else None
            out.append((v, who.full_name if who else ""))
        return out


@dataclass(frozen=True)
class OutboxLine:
    id: int
    kind: str
    status_code: str
    to: object  # an office code (a status) or a list of them (a package), as queued
    attempts: int
    next_attempt_at: datetime | None
    last_error: str


def outbox_waiting(office: Office) -> list[OutboxLine]:
    """Outbox items not sent yet, oldest first."""
    with office.db.read() as s:
        return [OutboxLine(o.id, o.kind, o.status_code or "", _to(o), o.attempts, o.next_attempt_at,
                           o.last_error or "")
                for o in s.scalars(select(OutboxItem).where(OutboxItem.sent_at.is_(None))
                                   .order_by(OutboxItem.id))]


def _to(item: OutboxItem) -> object:
    from desk.errors import StorageError
    from desk.outbox import StatusPayload, read_payload

    try:
        p = read_payload(item)
    except StorageError:  # listed as it stands; sending it reports the damage
        return item.payload.get("to") if isinstance(item.payload, dict) else None
    return p.to if isinstance(p, StatusPayload) else list(p.to)


# --- maintenance -------------------------------------------------------------------------------


def verify_audit(office: Office, backup_heads: list[dict[str, Any]],
                 server_heads: list[dict[str, Any]] | None = None) -> tuple[int, list[AuditProblem]]:
    """The audit chain checked end to end, against its anchors (this computer's, the backups'
    heads and, when given, those the exchange server keeps), and against the records it
    describes: (entries, problems)."""
    from desk import audit, audit_anchor

    with office.db.read() as s:
        n, problems = audit.verify(s)
        heads = audit_anchor.anchors(office.paths.home) + backup_heads
        problems += audit_anchor.check_anchors(s, office.paths.home, heads)
        if server_heads:
            problems += audit_anchor.check_anchors(s, office.paths.home, server_heads,
                                                   where="the exchange server")
        problems += audit_anchor.cross_check(s)
    return n, problems


def check_store(office: Office) -> tuple[FsckReport, list[str]]:
    """The blob store checked against the files the database refers to, and the database's
    own integrity check: (report, database problems)."""
    from desk.blobs import fsck

    db_problems = office.db.integrity_check()
    with office.db.read() as s:
        referenced = set(s.scalars(select(Blob.sha256)))
    return fsck(office.blobs, referenced), db_problems


# --- one document, as `desk show` prints it ----------------------------------------------------


@dataclass
class DocumentRecord:
    """A document with everything ``desk show`` prints, loaded in one read. ``doc`` is
    detached with its attachments, assignments, events and recipients loaded."""

    doc: Document
    registration: RegisterEntry | None
    recipients: list[dict[str, object]]
    unsure: dict[str, FieldCheck]
    signatures: dict[str, dict[str, Any]]
    people: dict[int, str] = field(default_factory=dict)  # full names by id
    units: dict[int, str] = field(default_factory=dict)
    opinions: list[tuple[datetime, int | None, str]] = field(default_factory=list)  # at, person, text


def document_record(office: Office, doc_id: int) -> DocumentRecord:
    from desk.services.documents import get_document, unsure_fields
    from desk.services.exchange import recipient_rows
    from desk.services.registers import registration_of
    from desk.signatures import recorded

    with office.db.read() as s:
        d = get_document(s, doc_id)
        for loaded in (d.attachments, d.assignments, d.events, d.recipients):
            len(loaded)  # loaded now, while the read is open
        record = DocumentRecord(
            d, registration_of(s, d.id, d.direction), recipient_rows(d),
            {c.name: c for c in unsure_fields(s, d)}, recorded(d),
            {p.id: p.full_name for p in s.scalars(select(Person))},
            {u.id: u.name for u in s.scalars(select(Unit))},
            [(o.created_at, o.person_id, o.text) for o in s.scalars(
                select(Opinion).where(Opinion.document_id == d.id).order_by(Opinion.id))])
    return record
