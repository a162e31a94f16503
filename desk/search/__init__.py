"""Full-text search, Vietnamese-aware: ranked search over trích yếu, số/ký hiệu,
issuer, signer and the PDFs' text, with filters.

Engine: Tantivy, chosen by measurement (bench/bench_search.py): at 100,000
documents SQLite FTS5's bm25 ranking costs 60–100 ms on broad queries because it
scores every match through its auxiliary-function API, where Tantivy answers
the same ranked queries in a few milliseconds.

Keeping a second store in step: every change that affects a document's search
entry adds a row to ``search_queue`` in the same SQLite transaction as the
change. The index applies queued rows, commits, and only then deletes them, so
after a crash the queue still holds whatever the index missed (re-applying is
idempotent). On open the index is checked against the store and rebuilt if it is
missing, damaged or of another schema version (``desk reindex`` does the same).

Both the indexed text and the query are folded (case, diacritics, đ→d) by
``desk.textfold.fold``; the user's query is parsed by ``desk.search.query`` and
built from query objects, never handed to a query parser, so quotes, brackets
or operators in it cannot cause a syntax error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk.models import Document, DocumentText
from desk.search.query import Term, parse_query

__all__ = ["Filters", "Hit", "Term", "enqueue", "index_document", "list_documents", "parse_query"]


def enqueue(session: Session, document_id: int) -> None:
    """Mark a document's search entry stale, in the caller's transaction."""
    from desk.db import raw

    raw(session).execute("INSERT INTO search_queue(document_id) VALUES (?)", (document_id,))


def index_document(session: Session, doc: Document, body: str | None = None) -> None:
    """Store the document's extracted text for the index.

    The document itself is queued by the workflow step that changed it (every caller
    applies one in the same transaction), so nothing is queued twice here.
    """
    session.flush()
    if body is not None:
        existing = session.get(DocumentText, doc.id)
        if existing is None:
            session.add(DocumentText(document_id=doc.id, text=body))
        else:
            existing.text = body


@dataclass
class Filters:
    direction: str | None = None
    doc_types: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    assignee_id: int | None = None
    urgency_min: int | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    direction: str
    state: str
    doc_type: str
    number: str | None
    notation: str | None
    issuer_name: str | None
    issued_date: date | None
    subject: str
    urgency: int
    due_date: date | None


HIT_COLUMNS = ("d.id, d.direction, d.state, d.doc_type, d.number, d.notation, d.issuer_name, "
                "d.issued_date, d.subject, d.urgency, d.due_date")


def _as_date(v: Any) -> date | None:
    return date.fromisoformat(v[:10]) if isinstance(v, str) else v


def hit_from_row(r: Any) -> Hit:
    return Hit(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _as_date(r[7]), r[8], r[9], _as_date(r[10]))


def filter_sql(f: Filters, params: dict[str, Any]) -> str:
    where = []
    if f.direction:
        where.append("d.direction = :direction")
        params["direction"] = f.direction
    for name, values, col in (("t", f.doc_types, "d.doc_type"), ("s", f.states, "d.state")):
        if values:
            keys = [f"{name}{i}" for i in range(len(values))]
            where.append(f"{col} IN ({', '.join(':' + k for k in keys)})")
            params.update(zip(keys, values, strict=True))
    if f.date_from:
        where.append("d.issued_date >= :date_from")
        params["date_from"] = f.date_from.isoformat()
    if f.date_to:
        where.append("d.issued_date <= :date_to")
        params["date_to"] = f.date_to.isoformat()
    if f.urgency_min is not None:
        where.append("d.urgency >= :urgency_min")
        params["urgency_min"] = f.urgency_min
    if f.assignee_id is not None:
        where.append("EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id "
                     "AND a.person_id = :assignee)")
        params["assignee"] = f.assignee_id
    return (" AND " + " AND ".join(where)) if where else ""


# Columns a list can be sorted by.
SORTABLE = {
    "updated": "d.updated_at", "code": "d.number", "issued": "d.issued_date",
    "type": "d.doc_type", "subject": "d.subject", "issuer": "d.issuer_name",
    "state": "d.state", "due": "d.due_date", "urgency": "d.urgency",
}


def list_documents(session: Session, filters: Filters | None = None, *, limit: int = 50,
                   offset: int = 0, sort: str = "updated", descending: bool = True) -> list[Hit]:
    """A page of a list; by default most recently changed first (served by ix_documents_list)."""
    f = filters or Filters()
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    way = "DESC" if descending else "ASC"
    sql = (f"SELECT {HIT_COLUMNS} FROM documents d WHERE 1=1{filter_sql(f, params)} "
           f"ORDER BY {SORTABLE[sort]} {way}, d.id {way} LIMIT :limit OFFSET :offset")
    return [hit_from_row(r) for r in session.execute(text(sql), params)]


def count_documents(session: Session, filters: Filters | None = None) -> int:
    params: dict[str, Any] = {}
    sql = f"SELECT count(*) FROM documents d WHERE 1=1{filter_sql(filters or Filters(), params)}"
    return int(session.execute(text(sql), params).scalar() or 0)


def hits_by_ids(session: Session, ids: list[int]) -> list[Hit]:
    """Rows for ranked ids, in the given order."""
    if not ids:
        return []
    params = {f"i{k}": v for k, v in enumerate(ids)}
    sql = f"SELECT {HIT_COLUMNS} FROM documents d WHERE d.id IN ({', '.join(':' + k for k in params)})"
    by_id = {r[0]: hit_from_row(r) for r in session.execute(text(sql), params)}
    return [by_id[i] for i in ids if i in by_id]
