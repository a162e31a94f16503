"""Full-text search over the store (SQLite FTS5), Vietnamese-aware.

Why FTS5 rather than a second engine: the index lives in the same SQLite file
and is written in the same transaction as the document, so it can never be out
of step after a crash; bench/bench_search.py measures it against Tantivy on the
same documents and queries (see the README for the figures).

Both the indexed text and the query are folded (case, diacritics, đ→d) by
``desk.textfold.fold``. The user's query is never handed to FTS5 as typed: it is
parsed into terms, phrases, prefixes and exclusions and rebuilt from quoted
tokens, so quotes, brackets or operators in it cannot cause a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk.models import Document
from desk.reference import DOC_TYPES_BY_CODE, format_code
from desk.textfold import fold

# Bump when the way documents are turned into search text changes: stores with
# an older version are re-indexed on open.
SEARCH_VERSION = "1"
BODY_LIMIT = 200_000  # characters of PDF text indexed per document

_WORD = re.compile(r"\w+", re.UNICODE)


def search_row(doc: Document | Any, body: str | None) -> dict[str, Any]:
    dtype = DOC_TYPES_BY_CODE.get(doc.doc_type)
    code = " ".join(filter(None, [
        format_code(doc.number, doc.notation), dtype.name if dtype else "",
        dtype.abbreviation if dtype else "", doc.edxml_document_id or ""]))
    return {
        "doc_id": doc.id,
        "subject": fold(doc.subject or ""),
        "code": fold(code),
        "issuer": fold(" ".join(filter(None, [doc.issuer_name, doc.issuer_code]))),
        "signer": fold(" ".join(filter(None, [doc.signer_name, doc.signer_position]))),
        "body": fold(body[:BODY_LIMIT]) if body else "",
    }


_UPSERT = text(
    "INSERT INTO search_text(doc_id, subject, code, issuer, signer, body) "
    "VALUES (:doc_id, :subject, :code, :issuer, :signer, :body) "
    "ON CONFLICT(doc_id) DO UPDATE SET subject=excluded.subject, code=excluded.code, "
    "issuer=excluded.issuer, signer=excluded.signer, "
    "body=CASE WHEN :keep_body THEN search_text.body ELSE excluded.body END"
)


def index_document(session: Session, doc: Document, body: str | None = None) -> None:
    """(Re)index one document in the caller's transaction; ``body=None`` keeps the indexed text."""
    session.flush()
    row = search_row(doc, body)
    session.execute(_UPSERT, {**row, "keep_body": body is None})


def rebuild(session: Session) -> int:
    """Recreate the whole index from the store (``desk reindex``)."""
    session.execute(text("DELETE FROM search_text"))
    session.execute(text("INSERT INTO search_fts(search_fts) VALUES('delete-all')"))
    count = 0
    rows = session.execute(text(
        "SELECT d.id, d.doc_type, d.number, d.notation, d.edxml_document_id, d.subject, "
        "d.issuer_name, d.issuer_code, d.signer_name, d.signer_position, t.text AS body "
        "FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id")).fetchall()
    batch = []
    for r in rows:
        batch.append(search_row(r, r.body))
        if len(batch) >= 2000:
            session.execute(_insert_many, batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(_insert_many, batch)
        count += len(batch)
    session.execute(text("INSERT INTO search_fts(search_fts) VALUES('optimize')"))
    _set_version(session)
    return count


_insert_many = text(
    "INSERT INTO search_text(doc_id, subject, code, issuer, signer, body) "
    "VALUES (:doc_id, :subject, :code, :issuer, :signer, :body)"
)


def _set_version(session: Session) -> None:
    session.execute(text("INSERT OR REPLACE INTO meta(key, value) VALUES ('search_version', :v)"),
                    {"v": SEARCH_VERSION})


def ensure_index(db: Any) -> bool:
    """Heal on open: rebuild when the index version or its row count is off. Returns True if rebuilt."""
    with db.read() as s:
        version = s.execute(text("SELECT value FROM meta WHERE key='search_version'")).scalar()
        if version == SEARCH_VERSION:
            docs = s.execute(text("SELECT max(id), count(*) FROM documents")).one()
            idx = s.execute(text("SELECT max(doc_id), count(*) FROM search_text")).one()
            if tuple(docs) == tuple(idx):
                return False
    with db.write() as s:
        rebuild(s)
    return True


def check_index(session: Session) -> bool:
    """FTS5's own consistency check of the index against search_text."""
    try:
        session.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)"))
        return True
    except Exception:
        return False


# --- Queries --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negated: bool = False


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(query: str, *, prefix_last: bool = False) -> list[list[Term]]:
    """Parse a user's query into OR-groups of AND-ed terms.

    ``"a b"`` is a phrase, ``word*`` a prefix, ``-word`` an exclusion, ``OR``
    between terms an alternative. Codes like ``507/UBND-KGVX`` become phrases of
    their parts, so stray spaces in published numbers do not matter.
    """
    groups: list[list[Term]] = [[]]
    tokens = list(_TOKEN.finditer(query))
    for i, m in enumerate(tokens):
        quoted, bare = m.group(1), m.group(2)
        if bare == "OR":
            if groups[-1]:
                groups.append([])
            continue
        raw = quoted if quoted is not None else bare
        negated = bare is not None and bare.startswith("-") and len(bare) > 1
        prefix = bare is not None and bare.endswith("*")
        words = tuple(_WORD.findall(fold(raw)))
        words = tuple(w for w in words if w != "_")
        if not words:
            continue
        is_last = i == len(tokens) - 1
        if prefix_last and is_last and bare is not None and not negated and not query.endswith(" "):
            prefix = True
        groups[-1].append(Term(words, prefix=prefix, negated=negated))
    return [g for g in groups if any(not t.negated for t in g)]


def _fts_term(t: Term) -> str:
    phrase = '"' + " ".join(t.words) + '"'
    return phrase + "*" if t.prefix else phrase


def to_fts(groups: list[list[Term]]) -> str | None:
    parts = []
    for g in groups:
        pos = " AND ".join(_fts_term(t) for t in g if not t.negated)
        neg = "".join(f" NOT {_fts_term(t)}" for t in g if t.negated)
        parts.append(f"({pos}{neg})")
    return " OR ".join(parts) if parts else None


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


_HIT_COLUMNS = ("d.id, d.direction, d.state, d.doc_type, d.number, d.notation, d.issuer_name, "
                "d.issued_date, d.subject, d.urgency, d.due_date")


def _filter_sql(f: Filters, params: dict[str, Any]) -> str:
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


def _hits(session: Session, sql: str, params: dict[str, Any]) -> list[Hit]:
    out = []
    for r in session.execute(text(sql), params):
        issued = date.fromisoformat(r[7]) if isinstance(r[7], str) else r[7]
        due = date.fromisoformat(r[10]) if isinstance(r[10], str) else r[10]
        out.append(Hit(r[0], r[1], r[2], r[3], r[4], r[5], r[6], issued, r[8], r[9], due))
    return out


def search(session: Session, query: str, filters: Filters | None = None, *, limit: int = 20,
           offset: int = 0, prefix_last: bool = False) -> list[Hit]:
    """Ranked search (bm25, trích yếu and số/ký hiệu weighted highest); newest first on ties."""
    f = filters or Filters()
    match = to_fts(parse_query(query, prefix_last=prefix_last))
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if match is None:
        return list_documents(session, f, limit=limit, offset=offset)
    params["q"] = match
    sql = (f"SELECT {_HIT_COLUMNS} FROM search_fts JOIN documents d ON d.id = search_fts.rowid "
           f"WHERE search_fts MATCH :q{_filter_sql(f, params)} "
           "ORDER BY search_fts.rank, d.id DESC LIMIT :limit OFFSET :offset")
    return _hits(session, sql, params)


def count(session: Session, query: str, filters: Filters | None = None) -> int:
    f = filters or Filters()
    match = to_fts(parse_query(query))
    params: dict[str, Any] = {}
    if match is None:
        sql = f"SELECT count(*) FROM documents d WHERE 1=1{_filter_sql(f, params)}"
    else:
        params["q"] = match
        sql = ("SELECT count(*) FROM search_fts JOIN documents d ON d.id = search_fts.rowid "
               f"WHERE search_fts MATCH :q{_filter_sql(f, params)}")
    return int(session.execute(text(sql), params).scalar() or 0)


def list_documents(session: Session, filters: Filters | None = None, *, limit: int = 50,
                   offset: int = 0) -> list[Hit]:
    """A page of a list, most recently changed first (served by ix_documents_list)."""
    f = filters or Filters()
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    sql = (f"SELECT {_HIT_COLUMNS} FROM documents d WHERE 1=1{_filter_sql(f, params)} "
           "ORDER BY d.updated_at DESC, d.id DESC LIMIT :limit OFFSET :offset")
    return _hits(session, sql, params)
