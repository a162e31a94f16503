"""Read-only queries for the screens and the CLI: lists, counts, charts, a document's detail.

Each public function takes the office and opens its own read transaction, so a
front end never runs SQL or opens a session. Filtering goes through
``desk.search``'s filter builder so a list and its count always agree with
``desk list``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk.clock import today
from desk.office import Office
from desk.search import (
    HIT_COLUMNS,
    Filters,
    Hit,
    count_documents,
    filter_sql,
    hit_from_row,
    list_documents,
)
from desk.workflow import ACTIVE_IN

# Columns the lists can sort by (view column → SQL expression).
SORTABLE = {
    "code": "CAST(d.number AS INTEGER)",
    "issued": "d.issued_date",
    "type": "d.doc_type",
    "subject": "d.subject",
    "issuer": "d.issuer_name",
    "state": "d.state",
    "due": "d.due_date",
    "urgency": "d.urgency",
}


def page(office: Office, filters: Filters, *, limit: int, offset: int,
         sort: str | None = None, descending: bool = True) -> list[Hit]:
    """A page of a list; default order is the core's (most recently changed first)."""
    with office.db.read() as session:
        if sort is None:
            return list_documents(session, filters, limit=limit, offset=offset)
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        order = f"{SORTABLE[sort]} {'DESC' if descending else 'ASC'}, d.id {'DESC' if descending else 'ASC'}"
        sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE 1=1{filter_sql(filters, params)} "
               f"ORDER BY {order} LIMIT :limit OFFSET :offset")
        return [hit_from_row(r) for r in session.execute(text(sql), params)]


def count(office: Office, filters: Filters) -> int:
    with office.db.read() as session:
        return count_documents(session, filters)


def _state_counts(session: Session) -> dict[tuple[str, str], int]:
    rows = session.execute(text("SELECT direction, state, count(*) FROM documents GROUP BY 1, 2"))
    return {(d, s): int(n) for d, s, n in rows}


@dataclass(frozen=True)
class DeadlineCounts:
    overdue: int
    due_soon: int


def deadline_counts(office: Office, *, person_id: int | None = None,
                    soon_until: date | None = None) -> DeadlineCounts:
    with office.db.read() as session:
        return _deadline_counts(session, person_id=person_id, soon_until=soon_until)


def _deadline_counts(session: Session, *, person_id: int | None = None,
                     soon_until: date | None = None) -> DeadlineCounts:
    """Open documents past their due date, and due by ``soon_until`` (default: 2 working days)."""
    from desk.services.routing import deadline_from_working_days

    day = today()
    until = soon_until or deadline_from_working_days(day, 2)
    params: dict[str, Any] = {"today": day.isoformat(), "until": until.isoformat()}
    who = ""
    if person_id is not None:
        who = (" AND EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id "
               "AND a.person_id = :p AND a.state = 'open')")
        params["p"] = person_id
    sql = ("SELECT sum(d.due_date < :today), sum(d.due_date >= :today AND d.due_date <= :until) "
           "FROM documents d WHERE d.direction = 'in' AND d.state IN "
           f"('received','registered','presented','in_progress') AND d.due_date IS NOT NULL{who}")
    late, soon = session.execute(text(sql), params).one()
    return DeadlineCounts(int(late or 0), int(soon or 0))


@dataclass(frozen=True)
class NavCounts:
    by_state: dict[tuple[str, str], int]
    deadlines: DeadlineCounts
    mine: int  # documents with an open assignment of the user
    my_deadlines: DeadlineCounts | None


def nav_counts(office: Office, person_id: int | None) -> NavCounts:
    """What the navigation shows beside its views, in one read transaction."""
    with office.db.read() as s:
        return NavCounts(_state_counts(s), _deadline_counts(s),
                         _my_open_count(s, person_id) if person_id is not None else 0,
                         _deadline_counts(s, person_id=person_id) if person_id is not None else None)


def _my_open_count(session: Session, person_id: int) -> int:
    return int(session.execute(text(
        "SELECT count(DISTINCT a.document_id) FROM assignments a JOIN documents d ON d.id = a.document_id "
        "WHERE a.person_id = :p AND a.state = 'open' AND d.state = 'in_progress'"),
        {"p": person_id}).scalar() or 0)


@dataclass(frozen=True)
class Stats:
    by_state: list[tuple[str, str, int]]  # direction, state, count
    overdue: int
    due_soon: int
    by_unit: list[tuple[str, int, int]]  # unit, open assignments, overdue
    by_month: list[tuple[str, int, int]]  # yyyy-mm, incoming, outgoing (last 12 months)


def stats(office: Office) -> Stats:
    with office.db.read() as session:
        return _stats(session)


def _stats(session: Session) -> Stats:
    counts = _state_counts(session)
    dl = _deadline_counts(session)
    day = today().isoformat()
    units = [(str(name), int(n), int(late or 0)) for name, n, late in session.execute(text(
        "SELECT u.name, count(a.id), sum(a.deadline < :today) FROM units u "
        "LEFT JOIN people p ON p.unit_id = u.id "
        "LEFT JOIN assignments a ON a.state = 'open' AND (a.unit_id = u.id OR a.person_id = p.id) "
        "GROUP BY u.id ORDER BY u.id"), {"today": day})]
    months = [(str(m), int(i or 0), int(o or 0)) for m, i, o in session.execute(text(
        "SELECT substr(issued_date, 1, 7) AS m, sum(direction = 'in'), sum(direction = 'out') "
        "FROM documents WHERE issued_date IS NOT NULL GROUP BY m ORDER BY m DESC LIMIT 12"))]
    months.reverse()
    return Stats([(d, s, n) for (d, s), n in sorted(counts.items())], dl.overdue, dl.due_soon,
                 units, months)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str
    note: str


def history(session: Session, doc_id: int) -> list[HistoryLine]:  # inside the caller's read
    """Statuses, assignments and opinions of a document, oldest first."""
    from desk.i18n import t
    from desk.workflow import STEPS

    lines: list[HistoryLine] = []
    rows = session.execute(text(
        "SELECT e.at, p.full_name, e.action, e.to_state, e.status_code, e.note, d.direction "
        "FROM document_events e JOIN documents d ON d.id = e.document_id "
        "LEFT JOIN people p ON p.id = e.actor_id WHERE e.document_id = :d ORDER BY e.id"), {"d": doc_id})
    for at, who, action, _to, code, note, direction in rows:
        step = STEPS[direction].get(action)
        what = t(step.vi, step.en) if step else action
        if code:
            what += f" [{code}]"
        lines.append(HistoryLine(_dt(at), who or "", what, note or ""))
    for at, who, kind, progress, body in session.execute(text(
            "SELECT o.created_at, p.full_name, o.kind, o.progress, o.text FROM opinions o "
            "LEFT JOIN people p ON p.id = o.person_id WHERE o.document_id = :d"), {"d": doc_id}):
        what = t("Ý kiến", "Opinion") if kind == "opinion" else t(f"Tiến độ {progress}%", f"Progress {progress}%")
        lines.append(HistoryLine(_dt(at), who or "", what, body or ""))
    lines.sort(key=lambda h: h.at)
    return lines


def _dt(v: Any) -> datetime:
    return datetime.fromisoformat(v) if isinstance(v, str) else v


@dataclass(frozen=True)
class AssignmentLine:
    role: str
    target: str
    deadline: date | None
    state: str
    progress: int


def assignments(session: Session, doc_id: int) -> list[AssignmentLine]:
    out = []
    for role, pname, uname, deadline, state, progress in session.execute(text(
            "SELECT a.role, p.full_name, u.name, a.deadline, a.state, a.progress FROM assignments a "
            "LEFT JOIN people p ON p.id = a.person_id LEFT JOIN units u ON u.id = a.unit_id "
            "WHERE a.document_id = :d ORDER BY a.id"), {"d": doc_id}):
        dl = date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
        out.append(AssignmentLine(role, pname or uname or "", dl, state, int(progress or 0)))
    return out


class Dated(Protocol):
    """A list row: a Hit or the app's cached row."""

    @property
    def due_date(self) -> date | None: ...
    @property
    def direction(self) -> str: ...
    @property
    def state(self) -> str: ...


def due_flag(hit: Dated, soon_until: date) -> str | None:
    """'overdue', 'soon' or None, for open incoming documents."""
    if hit.due_date is None or hit.direction != "in" or hit.state not in ACTIVE_IN:
        return None
    if hit.due_date < today():
        return "overdue"
    if hit.due_date <= soon_until:
        return "soon"
    return None


def due_page(office: Office, kind: str, *, limit: int, offset: int,
             person_id: int | None = None) -> list[Hit]:
    """Open incoming documents past their deadline (``overdue``) or due within 2 working days."""
    from desk.services.routing import deadline_from_working_days

    params: dict[str, Any] = {"today": today().isoformat(), "limit": limit, "offset": offset}
    if kind == "overdue":
        cond = "d.due_date < :today"
    else:
        cond = "d.due_date >= :today AND d.due_date <= :until"
        params["until"] = deadline_from_working_days(today(), 2).isoformat()
    who = ""
    if person_id is not None:
        who = (" AND EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id "
               "AND a.person_id = :p AND a.state = 'open')")
        params["p"] = person_id
    sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE d.direction = 'in' AND d.state IN "
           f"('received','registered','presented','in_progress') AND d.due_date IS NOT NULL "
           f"AND {cond}{who} ORDER BY d.due_date, d.id LIMIT :limit OFFSET :offset")
    with office.db.read() as session:
        return [hit_from_row(r) for r in session.execute(text(sql), params)]


def my_page(office: Office, person_id: int, *, limit: int, offset: int) -> list[Hit]:
    """Việc của tôi: documents with an open assignment of this person, nearest deadline first."""
    sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE d.state = 'in_progress' AND EXISTS ("
           "SELECT 1 FROM assignments a WHERE a.document_id = d.id AND a.person_id = :p "
           "AND a.state = 'open') ORDER BY d.due_date IS NULL, d.due_date, d.id "
           "LIMIT :limit OFFSET :offset")
    with office.db.read() as session:
        return [hit_from_row(r) for r in session.execute(text(sql), {"p": person_id, "limit": limit,
                                                                       "offset": offset})]


# --- people, units, documents to sign ------------------------------------------------------------


@dataclass(frozen=True)
class PersonLine:
    id: int
    username: str
    full_name: str
    position: str
    unit_id: int | None
    roles: frozenset[str]
    signature_sha256: str | None

    def has(self, role: str) -> bool:
        return role in self.roles


def people(office: Office) -> list[PersonLine]:
    """The active people of the office, in the order they were added."""
    from sqlalchemy import select

    from desk.models import Person

    with office.db.read() as s:
        return [PersonLine(p.id, p.username, p.full_name, p.position or "", p.unit_id,
                           frozenset(p.role_names), p.signature_sha256)
                for p in s.scalars(select(Person).where(Person.active).order_by(Person.id))]


def units(office: Office) -> list[tuple[int, str]]:
    """(id, name) of every unit (phòng, ban) of the office."""
    from sqlalchemy import select

    from desk.models import Unit

    with office.db.read() as s:
        return [(u.id, u.name) for u in s.scalars(select(Unit).order_by(Unit.id))]


@dataclass(frozen=True)
class SignTarget:
    """An outgoing document the leader can sign now, with its current main PDF."""

    doc_id: int
    subject: str
    code: str
    pdf_sha: str
    filename: str
    title: str  # position line above the signature, e.g. "CHỦ TỊCH"
    name: str  # full name below it


def sign_targets(office: Office, doc_ids: list[int]) -> tuple[list[SignTarget], list[tuple[int, str]]]:
    """Documents that can be signed now, and (id, reason) for those that cannot."""
    from desk.i18n import t
    from desk.reference import format_code
    from desk.services.documents import get_document
    from desk.workflow import can

    ok: list[SignTarget] = []
    skipped: list[tuple[int, str]] = []
    with office.db.read() as s:
        for doc_id in doc_ids:
            d = get_document(s, doc_id)
            if not can(d, "sign"):
                skipped.append((doc_id, t("không ở trạng thái chờ ký", "not awaiting signature")))
                continue
            pdfs = [a for a in d.attachments if a.kind == "main" and a.filename.lower().endswith(".pdf")]
            if not pdfs:
                skipped.append((doc_id, t("không có tệp PDF để ký", "no PDF file to sign")))
                continue
            a = max(pdfs, key=lambda x: x.id)  # the newest main version is the current one
            ok.append(SignTarget(d.id, d.subject, format_code(d.number, d.notation), a.blob_sha256, a.filename,
                                 (d.signer_position or "").upper(), d.signer_name or ""))
    return ok, skipped


def waiting_for_signature(office: Office, full_name: str | None = None) -> list[int]:
    """Outgoing documents waiting for a signature: the leader's own first, oldest first."""
    from desk.workflow import STEPS

    states = sorted(s for s in STEPS["out"]["sign"].sources if s)
    marks = ", ".join(f":s{i}" for i in range(len(states)))
    params: dict[str, Any] = {"n": full_name or "", **{f"s{i}": st for i, st in enumerate(states)}}
    with office.db.read() as s:
        rows = s.execute(text(
            f"SELECT id FROM documents WHERE direction = 'out' AND state IN ({marks}) "
            "ORDER BY (signer_name = :n) DESC, updated_at, id"), params)
        return [r[0] for r in rows]


@dataclass(frozen=True)
class Brief:
    subject: str
    recipients: list[str]


def brief(office: Office, doc_id: int) -> Brief:
    from desk.services.documents import get_document

    with office.db.read() as s:
        d = get_document(s, doc_id)
        return Brief(d.subject, [r.name for r in d.recipients])


EDITABLE_FIELDS = ("doc_type", "number", "notation", "issuer_name", "issuer_code", "issued_date", "subject",
                   "signer_position", "signer_name", "urgency", "confidentiality", "page_count", "due_date",
                   "edxml_document_id")


def document_fields(office: Office, doc_id: int) -> dict[str, Any]:
    """The fields a registration form shows, as stored."""
    from desk.services.documents import get_document

    with office.db.read() as s:
        d = get_document(s, doc_id)
        return {k: getattr(d, k) for k in EDITABLE_FIELDS}


def unsure_fields(office: Office, doc_id: int) -> list[Any]:
    """Fields the reader was not sure of and no one has checked since
    (desk.services.documents.unsure_fields)."""
    from desk.services.documents import get_document
    from desk.services.documents import unsure_fields as _unsure

    with office.db.read() as s:
        return _unsure(s, get_document(s, doc_id))


def duplicates(office: Office, data: Any, *, exclude_id: int | None = None) -> list[Any]:
    """Earlier documents this one may repeat (Decree 30 App. VI): desk.services.documents.find_duplicates."""
    from desk.services.documents import find_duplicates

    with office.db.read() as s:
        return list(find_duplicates(s, data, exclude_id=exclude_id))


@dataclass(frozen=True)
class OrgLine:
    code: str
    name: str
    place: str
    notation: str


def organisation(office: Office) -> OrgLine | None:
    """This office's own organisation, or None before it is set up."""
    from desk.errors import NotFoundError
    from desk.services.people import self_org

    with office.db.read() as s:
        try:
            org = self_org(s)
        except NotFoundError:
            return None
        return OrgLine(org.code, org.name, org.place or "", org.notation or "")


def register_book(office: Office, book: str, year: int, series: str) -> list[tuple[str, ...]]:
    """The rows of a register book (sổ đến / sổ đi) as printed."""
    from desk.reports.register_book import book_rows

    with office.db.read() as s:
        return [r.cells for r in book_rows(s, book, year, series)]


def write_register(office: Office, book: str, year: int, path: Path, series: str) -> int:
    """The register book written to a DOCX file; returns the number of entries."""
    from desk.reports.register_book import write_docx

    with office.db.read() as s:
        return write_docx(s, book, year, path, series)
