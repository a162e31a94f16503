"""Figures for the local office (issue 2), each with its baseline measured in the same run.

    python bench/bench_desk.py [--documents 100000] [--home DIR] [--keep]

- ranked top-20 search p95 (Desk's engine, Tantivy, end to end with the rows
  fetched from SQLite) and the same queries on SQLite FTS5 configured the usual
  way (unicode61 remove_diacritics 2, app-side đ folding, bm25 with the same
  column weights, ORDER BY bm25 LIMIT 20) on a connection with the pragmas of
  Desk's own store (desk.db.PRAGMAS: WAL, 32 MB cache, memory temp store): the
  ratio FTS5 / Desk; the two engines' full result sets (every match, unranked)
  are compared query by query;
- indexing time for both engines on the same documents;
- first page of the navigation lists (p95);
- registrations per second (one transaction each, synchronous=FULL), and a bare
  SQLite insert transaction with the same durability as the baseline;
- database and index size.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk.demo import seed  # noqa: E402
from desk.office import Office  # noqa: E402
from desk.search import Filters, list_documents  # noqa: E402
from desk.search.query import parse_query  # noqa: E402

# What clerks and leaders type: topics, phrases, codes, organisations, names,
# broad one- and two-word queries that match a large part of the office.
QUERIES = [
    "quyết định", "kế hoạch", "công văn", "báo cáo", "ngân sách", "chuyển đổi số", "phòng cháy",
    "thiên tai", "tiêm chủng mở rộng", "an toàn thực phẩm", "cải cách hành chính năm 2026",
    "đề nghị hỗ trợ kinh phí", "giải ngân vốn đầu tư công", "nông thôn mới", "tuyển dụng công chức",
    "Sở Tài chính", "Văn phòng Chính phủ", "xã Đông Ngũ", "thành phố Hạ Long", "Trần Văn Đức",
    "\"phòng, chống tham nhũng\"", "giảm nghèo bền vững", "khiếu nại tố cáo", "du lịch cộng đồng",
    "quý IV", "giai đoạn 2026 - 2030", "Tết Nguyên đán", "đất đai khoáng sản", "trường chuẩn quốc gia",
    "07/UBND", "123/SNV", "QĐ-UBND", "thi đua khen thưởng", "an toàn giao thông", "bảo hiểm y tế",
    "kiện toàn Ban chỉ đạo", "phân bổ vốn", "hướng dẫn thực hiện", "tổ chức kiểm tra", "môi trường",
]
REPEAT = 5
PAGE_FILTERS = {
    "Văn bản đến / chờ vào sổ": Filters(direction="in", states=["received"]),
    "Văn bản đến / đang xử lý": Filters(direction="in", states=["in_progress"]),
    "Văn bản đến / hoàn thành": Filters(direction="in", states=["done"]),
    "Văn bản đi / đã phát hành": Filters(direction="out", states=["released"]),
    "Tất cả": Filters(),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def to_fts5(query: str) -> str | None:
    groups = parse_query(query)
    parts = []
    for g in groups:
        pos = " AND ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")
                           for t in g if not t.negated)
        neg = "".join(' NOT "' + " ".join(t.words) + '"' for t in g if t.negated)
        parts.append(f"({pos}{neg})")
    return " OR ".join(parts) or None


def build_fts5(office: Office, path: Path) -> float:
    """The engine not chosen, built from the same folded text Desk indexes."""
    from desk.search.engine import _DOC_SQL, _fields

    with office.db.read() as s:
        from sqlalchemy import text

        rows = s.execute(text(_DOC_SQL)).fetchall()
    t0 = time.perf_counter()
    con = _connect(path)
    con.executescript(
        "CREATE VIRTUAL TABLE fts USING fts5(subject, code, issuer, signer, body,"
        " tokenize='unicode61 remove_diacritics 2');")
    con.executemany(
        "INSERT INTO fts(rowid, subject, code, issuer, signer, body) VALUES (?,?,?,?,?,?)",
        ((f["id"], f["subject"], f["code"], f["issuer"], f["signer"], f["body"])
         for f in map(_fields, rows)))
    con.execute("INSERT INTO fts(fts) VALUES('optimize')")
    con.commit()
    con.close()
    return time.perf_counter() - t0


def _connect(path: Path) -> sqlite3.Connection:
    """A connection tuned exactly like Desk's store (the same PRAGMA statements)."""
    from desk.db import PRAGMAS

    con = sqlite3.connect(path)
    for pragma in PRAGMAS:
        con.execute(pragma)
    return con


def agreement(office: Office, con: sqlite3.Connection) -> tuple[int, list[str]]:
    """Queries whose full result sets (every match) are the same in both engines."""
    same, differ = 0, []
    for q in QUERIES:
        m = to_fts5(q)
        fts_ids = {r[0] for r in con.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (m,))} if m else set()
        total = office.search.count(q)
        found = office.search.search_ids(q, limit=max(total, 1))
        desk_ids = set(found[0]) if found else set()
        if desk_ids == fts_ids:
            same += 1
        else:
            differ.append(f"{q!r}: Desk {len(desk_ids)}, FTS5 {len(fts_ids)}, "
                          f"common {len(desk_ids & fts_ids)}")
    return same, differ


def time_queries(fn) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(REPEAT):
        for q in QUERIES:
            t0 = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def bench_search(office: Office, work: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    office.search.rebuild()
    tantivy_index_s = time.perf_counter() - t0
    fts_path = work / "fts5-baseline.sqlite3"
    fts_index_s = build_fts5(office, fts_path)

    con = _connect(fts_path)

    def fts5(q: str) -> list[int]:
        m = to_fts5(q)
        if m is None:
            return []
        ids = [r[0] for r in con.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 8.0, 6.0, 2.0, 2.0, 1.0) LIMIT 20",
            (m,))]
        # Same work as Desk: fetch the rows to show.
        with office.db.read() as s:
            from desk.search import hits_by_ids

            hits_by_ids(s, ids)
        return ids

    def desk_search(q: str) -> object:
        return office.search.search(q, limit=20)

    for q in QUERIES[:5]:  # warm both caches equally
        fts5(q)
        desk_search(q)
    desk_samples = time_queries(desk_search)
    fts_samples = time_queries(fts5)
    same, differ = agreement(office, con)
    con.close()
    return {
        "desk_p95": p95(desk_samples), "desk_p50": statistics.median(desk_samples),
        "fts5_p95": p95(fts_samples), "fts5_p50": statistics.median(fts_samples),
        "tantivy_index_s": tantivy_index_s, "fts5_index_s": fts_index_s, "same": same, "differ": differ,
    }


def bench_lists(office: Office) -> dict[str, float]:
    out = {}
    with office.db.read() as s:
        for name, f in PAGE_FILTERS.items():
            samples = []
            for _ in range(40):
                t0 = time.perf_counter()
                list_documents(s, f, limit=50)
                samples.append((time.perf_counter() - t0) * 1000)
            out[name] = p95(samples)
    return out


def bench_registrations(office: Office, work: Path, n: int = 2000) -> tuple[float, float]:
    from sqlalchemy import insert, select

    from desk.models import Document, DocumentEvent, Person, PersonRole
    from desk.services.registers import register_incoming

    now = datetime.now()
    with office.db.write() as s:
        first = (s.scalar(select(Document.id).order_by(Document.id.desc()).limit(1)) or 0) + 1
        ids = list(range(first, first + n))
        s.execute(insert(Document), [dict(
            id=i, direction="in", state="received", doc_type="CV", subject=f"Văn bản đo tốc độ {i}",
            urgency=0, confidentiality=0, source="paper", created_at=now, updated_at=now) for i in ids])
        s.execute(insert(DocumentEvent), [dict(document_id=i, at=now, action="receive", to_state="received")
                                          for i in ids])
        clerk_id = s.scalar(select(PersonRole.person_id).where(PersonRole.role == "van_thu"))
    with office.db.read() as s:
        clerk = s.get(Person, clerk_id)  # the signed-in clerk, as the app holds it
        assert clerk is not None
    t0 = time.perf_counter()
    for i in ids:
        with office.db.write() as s:
            register_incoming(s, s.get(Document, i), clerk)
    desk_rate = n / (time.perf_counter() - t0)
    # Baseline: the cheapest durable write, one row per transaction, same pragmas.
    con = _connect(work / "baseline.sqlite3")
    con.isolation_level = None
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
    t0 = time.perf_counter()
    for i in range(n):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t(v) VALUES (?)", (f"row {i}",))
        con.execute("COMMIT")
    bare_rate = n / (time.perf_counter() - t0)
    con.close()
    return desk_rate, bare_rate


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--home", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    home = args.home or work / "office"
    random.seed(1)
    try:
        fresh = not (home / "desk.sqlite3").exists()
        office = Office.open(home)
        if fresh:
            t0 = time.perf_counter()
            seed(office, args.documents, pdfs=20)
            print(f"demo office: {args.documents:,} documents seeded in {time.perf_counter() - t0:.1f} s")
        s = bench_search(office, work)
        print(f"search, ranked top-20, {len(QUERIES)} queries x {REPEAT}:")
        print(f"  Desk (Tantivy)  p95 {s['desk_p95']:.2f} ms  p50 {s['desk_p50']:.2f} ms")
        print(f"  SQLite FTS5     p95 {s['fts5_p95']:.2f} ms  p50 {s['fts5_p50']:.2f} ms")
        print(f"  ratio FTS5/Desk p95 {s['fts5_p95'] / s['desk_p95']:.1f}x, p50 "
              f"{s['fts5_p50'] / s['desk_p50']:.1f}x  (timed: parse, search, fetch the 20 rows; FTS5 on "
              f"a connection with Desk's store pragmas)")
        print(f"  full result sets identical for {s['same']} of {len(QUERIES)} queries")
        for line in s["differ"]:
            print(f"    differs: {line}")
        print(f"  indexing: Tantivy {s['tantivy_index_s']:.1f} s, FTS5 {s['fts5_index_s']:.1f} s "
              f"(ratio {s['fts5_index_s'] / s['tantivy_index_s']:.1f}x)")
        print("first page of a list (50 rows), p95:")
        for name, ms in bench_lists(office).items():
            print(f"  {name:<28} {ms:.2f} ms")
        desk_rate, bare_rate = bench_registrations(office, work)
        print(f"registrations: {desk_rate:.0f}/s (bare durable SQLite insert {bare_rate:.0f}/s, "
              f"ratio {bare_rate / desk_rate:.1f}x)")
        office.close()
        db = office.paths.database.stat().st_size
        idx = folder_size(office.paths.index)
        print(f"database {db / 1e6:.0f} MB, search index {idx / 1e6:.0f} MB "
              f"({(db + idx) / max(args.documents, 1) / 1e3:.1f} KB per document)")
    finally:
        if not args.keep and not args.home:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
