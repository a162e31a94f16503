"""Read-only queries the screens need that the core does not offer as such.

Small and SQL-only on purpose: they feed lists, counts and charts. Filtering
goes through ``desk.search``'s filter builder so a list and its count always
agree with ``desk list``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk.clock import today
from desk.search import HIT_COLUMNS, Filters, Hit, filter_sql, hit_from_row, list_documents

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
ACTIVE_IN = ("received", "registered", "presented", "in_progress")


def page(session: Session, filters: Filters, *, limit: int, offset: int,
         sort: str | None = None, descending: bool = True) -> list[Hit]:
    """A page of a list; default order is the core's (most recently changed first)."""
    if sort is None:
        return list_documents(session, filters, limit=limit, offset=offset)
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    order = f"{SORTABLE[sort]} {'DESC' if descending else 'ASC'}, d.id {'DESC' if descending else 'ASC'}"
    sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE 1=1{filter_sql(filters, params)} "
           f"ORDER BY {order} LIMIT :limit OFFSET :offset")
    return [hit_from_row(r) for r in session.execute(text(sql), params)]


def state_counts(session: Session) -> dict[tuple[str, str], int]:
    rows = session.execute(text("SELECT direction, state, count(*) FROM documents GROUP BY 1, 2"))
    return {(d, s): int(n) for d, s, n in rows}


@dataclass(frozen=True)
class DeadlineCounts:
    overdue: int
    due_soon: int


def deadline_counts(session: Session, *, person_id: int | None = None,
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


def my_open_count(session: Session, person_id: int) -> int:
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


def stats(session: Session) -> Stats:
    counts = state_counts(session)
    dl = deadline_counts(session)
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


def history(session: Session, doc_id: int) -> list[HistoryLine]:
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


def urgency_of(hit: Hit) -> int:
    return hit.urgency


def due_flag(hit: Hit, soon_until: date) -> str | None:
    """'overdue', 'soon' or None, for open incoming documents."""
    if hit.due_date is None or hit.direction != "in" or hit.state not in ACTIVE_IN:
        return None
    if hit.due_date < today():
        return "overdue"
    if hit.due_date <= soon_until:
        return "soon"
    return None


def due_page(session: Session, kind: str, *, limit: int, offset: int,
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
    return [hit_from_row(r) for r in session.execute(text(sql), params)]


def my_page(session: Session, person_id: int, *, limit: int, offset: int) -> list[Hit]:
    """Việc của tôi: documents with an open assignment of this person, nearest deadline first."""
    sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE d.state = 'in_progress' AND EXISTS ("
           "SELECT 1 FROM assignments a WHERE a.document_id = d.id AND a.person_id = :p "
           "AND a.state = 'open') ORDER BY d.due_date IS NULL, d.due_date, d.id "
           "LIMIT :limit OFFSET :offset")
    return [hit_from_row(r) for r in session.execute(text(sql), {"p": person_id, "limit": limit, "offset": offset})]
