"""The Tantivy index beside the store, kept in step through ``search_queue``."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import text

from desk.db import Database
from desk.reference import DOC_TYPES_BY_CODE, format_code
from desk.search import Filters, Hit, hits_by_ids, list_documents
from desk.search.query import Term, parse_query
from desk.textfold import fold

log = logging.getLogger(__name__)

# Bump when the schema or the way documents become search text changes: a new
# folder is built and the old one removed.
INDEX_VERSION = 3  # 2: số/ký hiệu also indexed without leading zeros; 3: unconfirmed numbers marked
BODY_LIMIT = 200_000  # characters of PDF text indexed per document
WRITER_HEAP = 50_000_000
TEXT_FIELDS = ("subject", "code", "issuer", "signer", "body")
# trích yếu and số/ký hiệu count most, the PDF text least.
BOOSTS = {"subject": 8.0, "code": 6.0, "issuer": 2.0, "signer": 2.0, "body": 1.0}
RELAXED_STEP = 1000.0  # per matched term in a partial-match search, above any BM25 score
RELAXED_LIMIT = 1000  # partial matches ranked at most
# A query of this many terms or more that fewer than FILL_BELOW documents match in full lists, after
# them, the documents missing only one term (with fewer terms, missing one leaves too little).
FILL_TERMS = 4
FILL_BELOW = 20
# In the code field of a document whose number is not known for sure: not read at all, or read
# from a scan without confidence (handwriting, which OCR reads confidently wrong) and not yet
# checked by a person (edited, confirmed, or registered by the clerk).
UNREAD_NUMBER = "sochuadoc"


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, stored=False)
    for name in ("direction", "state", "doc_type"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw")
    sb.add_integer_field("urgency", indexed=True, fast=True)
    sb.add_integer_field("issued", indexed=True, fast=True)  # yyyymmdd, 0 when unknown
    sb.add_integer_field("assignee", indexed=True)  # person ids, one value each
    return sb.build()


_DOC_SQL = (
    "SELECT d.id, d.direction, d.state, d.doc_type, d.number, d.notation, d.edxml_document_id, "
    "d.subject, d.issuer_name, d.issuer_code, d.signer_name, d.signer_position, d.urgency, "
    "d.issued_date, t.text FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id"
)


def _unconfirmed_numbers(session: Any, ids: list[int] | None) -> set[int]:
    """Documents waiting to be registered whose number the reader was not sure of, unchecked since.

    The same rule as desk.services.documents.unsure_fields, for the number only: the reading
    recorded at import gave it less than CONFIDENT, and no edit has changed or confirmed it
    (registering by a person changes the state, so only "received" documents are looked at).
    """
    from desk.docmeta import CONFIDENT

    sql = ("SELECT e.document_id, e.action, e.data FROM document_events e JOIN documents d "
           "ON d.id = e.document_id WHERE d.state = 'received' AND d.number IS NOT NULL "
           "AND e.action IN ('receive', 'edit')")
    params: dict[str, Any] = {}
    if ids is not None:
        if not ids:
            return set()
        params = {f"i{j}": v for j, v in enumerate(ids)}
        sql += f" AND e.document_id IN ({', '.join(':' + k for k in params)})"
    unsure: set[int] = set()
    checked: set[int] = set()
    for doc_id, action, data in session.execute(text(sql + " ORDER BY e.id"), params):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                continue
        if not isinstance(data, dict):
            continue
        if action == "edit":
            if "number" in (data.get("changes") or {}) or "number" in (data.get("confirmed") or []):
                checked.add(doc_id)
            continue
        reading = data.get("reading")
        fields_ = reading.get("fields") if isinstance(reading, dict) else None
        number = fields_.get("number") if isinstance(fields_, dict) else None
        if isinstance(number, dict) and float(number.get("confidence", 0.0)) < CONFIDENT:
            unsure.add(doc_id)
    return unsure - checked


def _fields(row: Any, unconfirmed: bool = False) -> dict[str, Any]:
    dtype = DOC_TYPES_BY_CODE.get(row.doc_type)
    number = (row.number or "").strip()
    code = " ".join(filter(None, [
        format_code(number, row.notation),
        # A received document's notation without its number (written by hand, not read), or with
        # a number read without confidence: found by a number search of that notation (see
        # search_ids). An outgoing draft's missing number is not one: it is not given yet.
        UNREAD_NUMBER if (not number or unconfirmed) and row.notation and row.direction == "in" else "",
        # "05/BNV-VP" is also found as "5/BNV-VP" (and the other way round, see parse_query).
        format_code(number.lstrip("0"), row.notation) if number.startswith("0") and number.strip("0") else "",
        dtype.name if dtype else "",
        dtype.abbreviation if dtype else "", row.edxml_document_id or ""]))
    issued = row.issued_date
    if isinstance(issued, str):
        issued = int(issued[:10].replace("-", ""))
    elif issued is not None:
        issued = issued.year * 10000 + issued.month * 100 + issued.day
    return {
        "id": row.id,
        "subject": fold(row.subject or ""),
        "code": fold(code),
        "issuer": fold(" ".join(filter(None, [row.issuer_name, row.issuer_code]))),
        "signer": fold(" ".join(filter(None, [row.signer_name, row.signer_position]))),
        "body": fold(row.text[:BODY_LIMIT]) if row.text else "",
        "direction": row.direction, "state": row.state, "doc_type": row.doc_type,
        "urgency": int(row.urgency or 0), "issued": issued or 0,
    }


@dataclass
class _Extra:
    """What a document's index entry needs beyond its row."""

    assignees: dict[int, list[int]]  # person ids by document id
    unconfirmed: set[int]  # documents whose number is not known for sure (see UNREAD_NUMBER)


def _file_in_use(exc: BaseException) -> bool:
    """Tantivy's error for a file Windows would not let it replace or open (access denied,
    sharing violation); elsewhere such an error is not passing, and is not retried."""
    text_ = str(exc)
    return os.name == "nt" and any(k in text_ for k in ("os error 5)", "os error 32)", "PermissionDenied"))


class SearchIndex:
    def __init__(self, db: Database, root: Path) -> None:
        self.db = db
        self.root = Path(root)
        self.path = self.root / f"v{INDEX_VERSION}"
        self.schema = _schema()
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None

    # --- opening and healing -------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        if self._index is None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        return self._index

    def ensure(self) -> bool:
        """Heal on open; returns True when the index was rebuilt."""
        for old in self.root.glob("v*"):
            if old.is_dir() and old != self.path:
                shutil.rmtree(old, ignore_errors=True)
        try:
            self.sync()
            indexed = self._indexed()
        except (ValueError, OSError) as exc:
            log.warning("search index unreadable, rebuilding: %s", exc)
            indexed = -1
        if indexed < 0:
            # Outside the except block: its traceback keeps the broken index's frames, and
            # with them its memory-mapped files, alive; Windows cannot remove a mapped file.
            self.close()
            shutil.rmtree(self.path, ignore_errors=True)
        with self.db.read() as s:
            stored = int(s.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
        if indexed == stored:
            return False
        self.rebuild()
        return True

    def _indexed(self) -> int:
        index = self._open()
        index.reload()
        return int(index.searcher().num_docs)

    def close(self) -> None:
        """Let go of the index's files (Tantivy maps them in memory; Windows can neither
        remove nor rewrite a mapped file). The next search opens the index again."""
        with self._lock:
            self._index = None

    def rebuild(self) -> int:
        """Index every document again (``desk reindex``)."""
        with self._lock:
            index = self._open()
            with self.db.read() as s:
                top = s.execute(text("SELECT max(seq) FROM search_queue")).scalar()
                rows, extra = self._load(s, None)

            def fill(writer: Any) -> None:
                writer.delete_all_documents()
                for row in rows:
                    writer.add_document(self._document(row, extra))

            if not self._write(index, fill, wait=30.0):
                from desk.errors import StorageError

                raise StorageError(
                    "Chỉ mục tìm kiếm đang được một chương trình Desk khác cập nhật; hãy thử lại sau.",
                    "Another Desk program is updating the search index; try again shortly.",
                    code="index_busy")
            if top is not None:
                with self.db.write() as s:
                    s.execute(text("DELETE FROM search_queue WHERE seq <= :t"), {"t": top})
            index.reload()
            return len(rows)

    # --- applying the queue ----------------------------------------------------------------

    def pending(self) -> int:
        with self.db.read() as s:
            return int(s.execute(text("SELECT count(*) FROM search_queue")).scalar() or 0)

    def sync(self, *, wait: float = 5.0) -> int:
        """Apply queued changes; returns how many documents were written."""
        with self.db.read() as s:
            top = s.execute(text("SELECT max(seq) FROM search_queue")).scalar()
        if top is None:
            return 0
        with self._lock:
            with self.db.read() as s:
                ids = [r[0] for r in s.execute(
                    text("SELECT DISTINCT document_id FROM search_queue WHERE seq <= :t"), {"t": top})]
                rows, extra = self._load(s, ids)
            index = self._open()

            def fill(writer: Any) -> None:
                for doc_id in ids:
                    writer.delete_documents_by_term("id", doc_id)
                for row in rows:
                    writer.add_document(self._document(row, extra))

            if not self._write(index, fill, wait=wait):
                return 0  # another process is writing the index; it stays queued
            with self.db.write() as s:
                s.execute(text("DELETE FROM search_queue WHERE seq <= :t"), {"t": top})
            index.reload()
            return len(ids)

    @staticmethod
    def _load(session: Any, ids: list[int] | None) -> tuple[list[Any], _Extra]:
        """Rows for ``ids`` (all documents when None), each one's assignee person ids and
        which of them have a number not known for sure."""
        extra = _Extra({}, set())
        if ids is None:
            rows = session.execute(text(_DOC_SQL)).fetchall()
            pairs = session.execute(text(
                "SELECT document_id, person_id FROM assignments WHERE person_id IS NOT NULL"))
            for did, pid in pairs:
                extra.assignees.setdefault(did, []).append(pid)
            extra.unconfirmed |= _unconfirmed_numbers(session, None)
            return rows, extra
        rows = []
        for k in range(0, len(ids), 500):
            params = {f"i{j}": v for j, v in enumerate(ids[k:k + 500])}
            marks = ", ".join(":" + p for p in params)
            rows += session.execute(text(f"{_DOC_SQL} WHERE d.id IN ({marks})"), params).fetchall()
            for did, pid in session.execute(text(
                    "SELECT document_id, person_id FROM assignments WHERE person_id IS NOT NULL "
                    f"AND document_id IN ({marks})"), params):
                extra.assignees.setdefault(did, []).append(pid)
            extra.unconfirmed |= _unconfirmed_numbers(session, ids[k:k + 500])
        return rows, extra

    @staticmethod
    def _document(row: Any, extra: _Extra) -> tantivy.Document:
        doc = tantivy.Document(**_fields(row, row.id in extra.unconfirmed))
        for pid in extra.assignees.get(row.id, ()):
            doc.add_integer("assignee", pid)
        return doc

    def _write(self, index: tantivy.Index, fill: Callable[[Any], None], *, wait: float) -> bool:
        """Open a writer, ``fill`` it, commit and let its merges finish; False when another
        process holds the index's writer lock for longer than ``wait`` seconds.

        Windows refuses to replace a file that anyone has open (Wine too, whatever the share
        mode), and a commit replaces meta.json and .managed.json: a reader polling meta.json for
        changes (Tantivy's watcher, every 500 ms, in this process or another Desk program), an
        indexer or a virus scanner holding it for a moment fails the commit with "Access denied
        (os error 5)" (seen under Wine in the Windows lane, and tantivy issues #587 and #2847 on
        Windows). meta.json is the commit point, so a failed commit leaves the index as it was:
        the whole write is done again, after a growing pause (about 3 s of pauses in all, and
        never past ``wait``: a search bringing the index up to date on its way gives up soon and
        searches what the index has); after that the error is a clear one, and what was queued
        stays queued. Merges run on after a writer is dropped; they are waited for, so they never
        race the next writer's commit."""
        pause = 0.05
        deadline = time.monotonic() + wait
        while True:
            writer = self._writer(index, wait=max(0.0, deadline - time.monotonic()))
            if writer is None:
                return False
            try:
                fill(writer)
                writer.commit()
                writer.wait_merging_threads()
                return True
            except ValueError as exc:
                with contextlib.suppress(Exception):
                    writer.rollback()
                if not _file_in_use(exc):
                    raise
                if pause > 2.0 or time.monotonic() + pause > deadline:
                    from desk.errors import StorageError

                    raise StorageError(
                        "Không ghi được chỉ mục tìm kiếm: tệp của chỉ mục đang bị một chương trình "
                        "khác mở (có thể là phần mềm diệt virus); hãy thử lại sau.",
                        "Cannot write the search index: another program (perhaps a virus scanner) "
                        "has its files open; try again shortly.",
                        code="index_in_use") from exc
                log.info("search index file in use, writing again in %.2f s: %s", pause, exc)
            except BaseException:
                with contextlib.suppress(Exception):
                    writer.rollback()
                raise
            finally:
                del writer
            time.sleep(pause)
            pause *= 2

    def _writer(self, index: tantivy.Index, wait: float = 30.0) -> Any:
        deadline = time.monotonic() + wait
        while True:
            try:
                return index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    if "LockBusy" in str(exc):
                        return None
                    raise
                time.sleep(0.02)

    # --- searching ---------------------------------------------------------------------------

    def _term_query(self, t: Term) -> tantivy.Query:
        per_field = []
        for name in TEXT_FIELDS:
            if t.prefix:
                # Tantivy expands the last word to at most 50 indexed terms.
                q = tantivy.Query.phrase_prefix_query(self.schema, name, list(t.words))
            elif len(t.words) == 1:
                q = tantivy.Query.term_query(self.schema, name, t.words[0])
            else:
                q = tantivy.Query.phrase_query(self.schema, name, list(t.words))
            per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, BOOSTS[name])))
            if t.alt and not t.prefix:
                alt = tantivy.Query.phrase_query(self.schema, name, list(t.alt))
                per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(alt, BOOSTS[name])))
        return tantivy.Query.boolean_query(per_field)

    def _filter_clauses(self, f: Filters) -> list[tuple[Any, tantivy.Query]]:
        must = tantivy.Occur.Must
        out = []
        if f.direction:
            out.append((must, tantivy.Query.term_query(self.schema, "direction", f.direction)))
        for name, values in (("doc_type", f.doc_types), ("state", f.states)):
            if values:
                out.append((must, tantivy.Query.term_set_query(self.schema, name, list(values))))
        if f.date_from or f.date_to:
            lo = f.date_from.year * 10000 + f.date_from.month * 100 + f.date_from.day if f.date_from else None
            hi = f.date_to.year * 10000 + f.date_to.month * 100 + f.date_to.day if f.date_to else None
            out.append((must, tantivy.Query.range_query(self.schema, "issued",
                                                        tantivy.FieldType.Integer, lo, hi)))
        if f.urgency_min is not None:
            out.append((must, tantivy.Query.range_query(self.schema, "urgency",
                                                        tantivy.FieldType.Integer, f.urgency_min, None)))
        if f.assignee_id is not None:
            out.append((must, tantivy.Query.term_query(self.schema, "assignee", f.assignee_id)))
        return out

    def build_query(self, groups: list[list[Term]], f: Filters) -> tantivy.Query:
        alternatives = []
        for g in groups:
            clauses = [(tantivy.Occur.MustNot if t.negated else tantivy.Occur.Must, self._term_query(t))
                       for t in g]
            alternatives.append((tantivy.Occur.Should, tantivy.Query.boolean_query(clauses)))
        text_q = (alternatives[0][1] if len(alternatives) == 1
                  else tantivy.Query.boolean_query(alternatives))
        return self._filtered(text_q, f)

    def _filtered(self, text_q: tantivy.Query, f: Filters) -> tantivy.Query:
        filters = self._filter_clauses(f)
        if not filters:
            return text_q
        # Filters must not change the ranking: they are constant-score clauses.
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, text_q)]
            + [(occ, tantivy.Query.const_score_query(q, 0.0)) for occ, q in filters])

    def build_relaxed_query(self, groups: list[list[Term]], f: Filters) -> tantivy.Query | None:
        """Documents matching some of the terms, those matching the most first (then by relevance).

        Each matched term adds a constant far above any BM25 score, so a document
        with three of four words ranks above one with two, whatever the words.
        """
        clauses = []
        negated = []
        for g in groups:
            for t in g:
                q = self._term_query(t)
                if t.negated:
                    negated.append((tantivy.Occur.MustNot, q))
                    continue
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.const_score_query(q, 1.0), RELAXED_STEP)))
                clauses.append((tantivy.Occur.Should, q))
        if len(clauses) < 4:  # one positive term: the strict query said it all
            return None
        return self._filtered(tantivy.Query.boolean_query(clauses + negated), f)

    def _code_only(self, groups: list[list[Term]], f: Filters) -> tantivy.Query:
        """The one số/ký hiệu of the query (see _code_fallback) as a document's own number."""
        t = groups[0][0]
        alts = [t.words, *([t.alt] if t.alt else [])]
        return self._filtered(tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.phrase_query(self.schema, "code", list(w))) for w in alts]), f)

    def _code_fallback(self, groups: list[list[Term]], f: Filters) -> tantivy.Query | None:
        """For a query that is one số/ký hiệu ("11/CT-UBND"): its ký hiệu, required, in the code field."""
        terms = [t for g in groups for t in g]
        if len(terms) != 1 or terms[0].negated or terms[0].prefix:
            return None
        t = terms[0]
        if len(t.words) < 2 or not t.words[0].isdigit() or not any(not w.isdigit() for w in t.words[1:]):
            return None
        number = t.words[0]
        notation: list[str | tuple[int, str]] = list(t.words[1:])
        numbers = {number, number.lstrip("0") or number}
        should = [(tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.term_query(self.schema, "code", UNREAD_NUMBER), 4.0))]
        should += [(tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.phrase_query(self.schema, "body", [n, *notation]), 8.0)) for n in numbers]
        same = (tantivy.Query.term_query(self.schema, "code", t.words[1]) if len(notation) == 1
                else tantivy.Query.phrase_query(self.schema, "code", notation))
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, same), *should])
        return self._filtered(q, f)

    def _code_ranking(self, searcher: Any, groups: list[list[Term]], code_q: tantivy.Query,
                      f: Filters, want: int) -> tuple[list[int], int]:
        """The ranking of a query that is one số/ký hiệu ("11/CT-UBND").

        The documents bearing it come first; then the documents of that ký hiệu whose number is
        not known for sure (not read, or read without confidence from handwriting and not yet
        checked), nearest number first: the number sought may be theirs, and a number recurs
        (each year's register starts again from 01); then the documents citing it in their text;
        and when no document bears it, the other documents of that ký hiệu (their number may
        have been misread). Returns the first ``want`` at least, and how many there are.
        """
        def ids(hits: Any) -> list[int]:
            return [searcher.doc(a)["id"][0] for _s, a in hits]

        bearing = ids(searcher.search(self._code_only(groups, f), limit=RELAXED_LIMIT, count=False).hits)
        unread = ids(searcher.search(self._filtered(tantivy.Query.boolean_query([
            (tantivy.Occur.Must, code_q),
            (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "code", UNREAD_NUMBER))]), f),
            limit=RELAXED_LIMIT, count=False).hits)
        unread = [i for i in self._nearest_numbers(groups[0][0].words[0], unread) if i not in bearing]
        if not bearing:
            mentions = ids(searcher.search(self.build_query(groups, f), limit=RELAXED_LIMIT, count=False).hits)
            same = ids(searcher.search(code_q, limit=RELAXED_LIMIT, count=False).hits)
            ranked = list(dict.fromkeys([*unread, *mentions, *same]))
            return ranked, len(ranked)
        # The documents bearing it are among those matching the query (its code field): only the
        # page's worth of the others is fetched, their number counted.
        result = searcher.search(self.build_query(groups, f), limit=want + len(bearing) + len(unread), count=True)
        mentions = ids(result.hits)
        ranked = list(dict.fromkeys([*bearing, *unread, *mentions]))
        total = int(getattr(result, "count", 0) or 0) + sum(1 for i in unread if i not in mentions)
        return ranked, max(total, len(ranked))

    def _nearest_numbers(self, number: str, ids: list[int]) -> list[int]:
        """``ids`` ordered by how few digits their number differs from ``number`` in, nearest
        first (OCR misreads a digit or two of a handwritten number; a number not read counts as
        differing in all), keeping the index's order between equals."""
        if len(ids) < 2:
            return ids
        params = {f"i{k}": v for k, v in enumerate(ids)}
        with self.db.read() as s:
            numbers: dict[int, str | None] = {r[0]: r[1] for r in s.execute(text(
                f"SELECT id, number FROM documents WHERE id IN ({', '.join(':' + k for k in params)})"), params)}
        want = number.lstrip("0") or number

        def distance(i: int) -> int:
            got = fold(numbers.get(i) or "").strip().lstrip("0")
            return _edit_distance(want, got) if got else len(want)

        return sorted(ids, key=distance)

    def search_ids(self, query: str, filters: Filters | None = None, *, limit: int = 20,
                   offset: int = 0, prefix_last: bool = False) -> tuple[list[int], int] | None:
        """Ranked ids and the total number of matches; None when the query has no terms.

        When no document matches every term, the documents matching most of them
        (at least half) are ranked instead, those matching more terms first: a
        misspelt or absent word does not empty the result. When fewer than
        :data:`FILL_BELOW` documents match a query of :data:`FILL_TERMS` terms or more,
        the documents missing only one of them follow the full matches.
        """
        groups = parse_query(query, prefix_last=prefix_last)
        if not groups:
            return None
        if self.pending():
            from desk.errors import StorageError

            try:
                self.sync(wait=0.5)
            except StorageError as exc:  # the index's files held open: search what it has
                log.warning("search index not brought up to date: %s", exc)
        f = filters or Filters()
        index = self._open()
        searcher = index.searcher()
        code_q = self._code_fallback(groups, f)
        if code_q is not None:
            ranked, total = self._code_ranking(searcher, groups, code_q, f, offset + limit)
            if ranked:
                return ranked[offset:offset + limit], total
        strict = self.build_query(groups, f)
        result = searcher.search(strict, limit=limit, offset=offset, count=True)
        ids = [searcher.doc(addr)["id"][0] for _score, addr in result.hits]
        total = int(getattr(result, "count", 0) or 0)
        positive = sum(1 for g in groups for t in g if not t.negated)
        if total >= FILL_BELOW or (total and positive < FILL_TERMS):
            return ids, total
        # No document matches every term (a misspelt word, a word the document does not use):
        # the documents matching most of them (at least half) are ranked, those matching more
        # first. Few documents match a long query in full (a name and a word of the subject, the
        # name's diacritics damaged by OCR): after them come those missing only one term.
        relaxed = self.build_relaxed_query(groups, f)
        if relaxed is None:
            return ids, total
        full = ids if offset == 0 and total <= limit else [
            searcher.doc(a)["id"][0] for _s, a in searcher.search(strict, limit=max(total, 1), count=False).hits]
        need = positive - 1 if total else (positive + 1) // 2
        more = searcher.search(relaxed, limit=RELAXED_LIMIT, count=False)
        ranked = list(dict.fromkeys([*full, *(searcher.doc(a)["id"][0] for score, a in more.hits
                                              if score >= need * RELAXED_STEP)]))
        return ranked[offset:offset + limit], len(ranked)

    def search(self, query: str, filters: Filters | None = None, *, limit: int = 20,
               offset: int = 0, prefix_last: bool = False) -> list[Hit]:
        found = self.search_ids(query, filters, limit=limit, offset=offset, prefix_last=prefix_last)
        with self.db.read() as s:
            if found is None:
                return list_documents(s, filters, limit=limit, offset=offset)
            return hits_by_ids(s, found[0])

    def count(self, query: str, filters: Filters | None = None) -> int:
        found = self.search_ids(query, filters, limit=1)
        if found is None:
            from desk.search import count_documents

            with self.db.read() as s:
                return count_documents(s, filters)
        return found[1]


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (characters inserted, deleted or replaced)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
