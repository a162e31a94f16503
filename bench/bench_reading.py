"""Reading real documents (issue 13): field accuracy, OCR speed, search recall — each beside a
baseline measured in the same run.

The labelled set is tests/data/real/docs/manifest.toml (committed sample) plus, when present,
bench/data/reading_more.toml (documents rebuilt from local mirrors of public repositories by
tests/data/real/fetch_docs.py; a document whose mirror is absent is skipped with its reason
printed). Each entry carries the truth read by eye from the page.

Prints:
* field accuracy per field and per kind (born-digital, scan), for the layout reader (what
  ``desk import`` now uses) and for the baseline: the previous reader (pypdf's text stream, OCR
  of the first 2 pages as plain text, regular expressions over the stream);
* "registered wrong": documents ``import --register`` would have registered with a wrong
  required field (the new reader registers only confident documents; the baseline registered
  everything);
* OCR speed: pages per second per core, timed over every page of the set: wall time of the
  page OCR with one Tesseract per core (rendering included) and the CPU seconds Tesseract and
  the renderer used, against the baseline (the old one-process-at-a-time plain-text OCR);
* search recall@5 for clerk-style queries (số/ký hiệu as printed and with stray spaces, words of
  the trích yếu typed without diacritics, the signer's name), over an office holding the set,
  imported with the new reader (and every page's text), against the same queries over an
  office imported with the previous reader (first 2 pages' text).

Run: ``python bench/bench_reading.py [--set {main,heldout,all}] [--quick] [--only TEXT] [--ocr-cache DIR]
[--no-ocr-speed] [--show-wrong]`` (``--set``: which labelled documents: ``main`` (the default) the two manifests above,
the set the reader was calibrated on; ``heldout`` only bench/data/reading_heldout.toml, documents never
used to calibrate the reader; ``all`` the three); ``--quick``: the first 3 documents; ``--only``: the
documents whose file name contains TEXT;
``--ocr-cache DIR``: keep Tesseract's output for each page image in DIR and reuse it on the next
run, for iterating on the reader (never used by the OCR speed measurement, which always runs
Tesseract); ``--no-ocr-speed``: skip the OCR speed measurement, which OCRs every page twice;
``--show-wrong``: print each wrong field as read beside its truth, and each search query that
missed; ``--help``: these options).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("type", "issuer", "code", "date", "subject", "signer")
REQUIRED = ("type", "issuer", "code", "date", "subject")




MANIFESTS = {
    # the documents the reader was calibrated on
    "main": (ROOT / "tests/data/real/docs/manifest.toml", ROOT / "bench/data/reading_more.toml"),
    # documents never used to calibrate it (see the file's header)
    "heldout": (ROOT / "bench/data/reading_heldout.toml",),
}
MANIFESTS["all"] = MANIFESTS["main"] + MANIFESTS["heldout"]


def load_set(which: str = "main") -> tuple[list[dict[str, Any]], list[str]]:
    sys.path.insert(0, str(ROOT / "tests" / "data" / "real"))
    from fetch_docs import fetch  # type: ignore[import-not-found]

    docs: list[dict[str, Any]] = []
    skipped: list[str] = []
    for manifest in MANIFESTS[which]:
        if not manifest.is_file():
            continue
        entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("doc", [])
        out = Path(tempfile.gettempdir()) / "desk-bench-reading"
        have, why = fetch(manifest, out)
        skipped += why
        by_name = {p.name: p for p in have}
        for e in entries:
            if e["file"] in by_name:
                docs.append({**e, "path": by_name[e["file"]]})
    return docs, skipped


def truth_of(e: dict[str, Any]) -> dict[str, str]:
    d = e["date"]
    return {"type": e["type"], "issuer": e["issuer"], "code": f"{e['number']}/{e['notation']}",
            "date": d.isoformat() if isinstance(d, date) else str(d), "subject": e["subject"],
            "signer": e.get("signer", "")}


def new_reader(path: Path) -> tuple[dict[str, str], dict[str, bool], Any]:
    from desk.docmeta import CONFIDENT
    from desk.docread import prepare

    p = prepare(path)
    r = p.read

    def conf(*names: str) -> bool:
        return all(n in r.fields and r.fields[n].confidence >= CONFIDENT for n in names)

    got = {"type": r.get("doc_type") or "", "issuer": r.get("issuer_name") or "",
           "code": f"{r.get('number') or ''}/{r.get('notation') or ''}",
           "date": r.get("issued_date").isoformat() if r.get("issued_date") else "",
           "subject": r.get("subject") or "", "signer": r.get("signer_name") or ""}
    sure = {"type": conf("doc_type"), "issuer": conf("issuer_name"), "code": conf("number", "notation"),
            "date": conf("issued_date"), "subject": conf("subject"), "signer": conf("signer_name")}
    return got, sure, p


def old_reader(path: Path) -> tuple[dict[str, str], str]:
    """The reader before issue 13: pypdf's text stream, OCR of 2 pages as plain text, regexes."""
    from desk.ocr import OcrUnavailable, needs_ocr, ocr_pdf
    from desk.pdftext import guess_fields, read_pdf

    info = read_pdf(path)
    text = info.text
    if needs_ocr(text):
        with contextlib.suppress(OcrUnavailable):
            text = ocr_pdf(path, pages=2) + "\n" + text
    g = guess_fields(text)
    got = {"type": g.doc_type or "CV", "issuer": g.issuer_name or "",
           "code": f"{g.number or ''}/{g.notation or ''}",
           "date": g.issued_date.isoformat() if g.issued_date else "",
           "subject": g.subject or path.stem.replace("_", " "), "signer": ""}
    return got, text


def install_ocr_cache(directory: Path) -> Callable[[], None]:
    """Reuse Tesseract's output for an identical page image and arguments (bench iterations only).

    The key is the image's bytes and Tesseract's arguments: a changed rendering or setting is a miss.
    Returns a function that removes the cache again.
    """
    import hashlib

    import desk.ocr as ocr

    directory.mkdir(parents=True, exist_ok=True)
    real = ocr._run

    def cached(args: list[str], timeout: float) -> bytes:
        image = Path(args[1])
        if not image.is_file():
            return real(args, timeout)
        h = hashlib.sha256(image.read_bytes())
        h.update("\0".join(args[2:]).encode())
        hit = directory / f"{h.hexdigest()}.out"
        if hit.is_file():
            return hit.read_bytes()
        out = real(args, timeout)
        hit.write_bytes(out)
        return out

    ocr._run = cached  # type: ignore[assignment]

    def remove() -> None:
        ocr._run = real  # type: ignore[assignment]

    return remove


def _cpu_children() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def _cpu_self() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def ocr_speed(docs: list[dict[str, Any]]) -> None:
    from desk.ocr import ocr_layouts, ocr_pdf

    cores = os.cpu_count() or 1
    pages = 0
    t0, c0, s0 = time.perf_counter(), _cpu_children(), _cpu_self()
    for d in docs:
        n, _ = ocr_layouts(d["path"], None)
        pages += n
    wall, cpu = time.perf_counter() - t0, (_cpu_children() - c0) + (_cpu_self() - s0)
    t1, c1, s1 = time.perf_counter(), _cpu_children(), _cpu_self()
    for d in docs:
        ocr_pdf(d["path"], pages=None)
    bwall, bcpu = time.perf_counter() - t1, (_cpu_children() - c1) + (_cpu_self() - s1)
    print(f"\nOCR of every page ({pages} pages, {len(docs)} documents, 300 dpi, Tesseract 'vie'), {cores} cores:")
    print(f"  new (page words with boxes, one Tesseract per core): {wall:6.1f} s wall = {pages / wall:.2f} pages/s"
          f" = {pages / wall / cores:.2f} pages/s per core; {cpu:.1f} CPU s = {pages / cpu:.2f} pages per CPU-second")
    print(f"  baseline (plain text, one page at a time):           {bwall:6.1f} s wall = {pages / bwall:.2f} pages/s"
          f" = {pages / bwall / cores:.2f} pages/s per core; {bcpu:.1f} CPU s = {pages / bcpu:.2f} pages per CPU-second")


def recall(docs: list[dict[str, Any]], prepared: dict[str, Any], old_texts: dict[str, tuple[dict[str, str], str]],
           show_missed: bool = False) -> None:
    from desk.docread import ocr_remaining
    from desk.models import Person
    from desk.office import Office
    from desk.reference import Role
    from desk.services import people
    from desk.services.documents import DocumentInput, create_incoming, import_prepared, store_text
    from desk.textfold import fold

    def make(tmp: Path) -> tuple[Office, int]:
        office = Office.open(tmp / "office")
        with office.db.write() as s:
            people.init_office(s, "000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên", place="Tiên Yên",
                               notation="UBND")
            p = people.add_person(s, "vanthu", "Nguyễn Thị Lan", [Role.CLERK.value], position="Văn thư")
            return office, p.id

    queries: list[tuple[str, str, str]] = []  # (kind, query, file)
    for d in docs:
        t = truth_of(d)
        queries.append(("số/ký hiệu", t["code"], d["file"]))
        queries.append(("số/ký hiệu, stray spaces", t["code"].replace("/", " /", 1), d["file"]))
        words = [w for w in t["subject"].split() if len(w) > 2 and w.lower() not in ("về", "việc", "của", "các")]
        queries.append(("trích yếu words", fold(" ".join(words[2:6])), d["file"]))
        if t["signer"]:
            queries.append(("signer + subject word", f"{fold(t['signer'])} {fold(words[-1])}", d["file"]))

    results: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory(prefix="desk-bench-reading-") as tmp:
        for label in ("new", "baseline"):
            office, pid = make(Path(tmp) / label)
            ids: dict[str, int] = {}
            with office:  # type: ignore[attr-defined]
                for d in docs:
                    with office.db.write() as s:
                        who = s.get(Person, pid)
                        if label == "new":
                            doc = import_prepared(s, office.blobs, prepared[d["file"]], who)
                        else:
                            got, text = old_texts[d["file"]]
                            number, _, notation = got["code"].partition("/")
                            doc = create_incoming(s, office.blobs, DocumentInput(
                                doc_type=got["type"] if got["type"] else "CV", subject=got["subject"][:500],
                                number=number[:11] or None, notation=notation[:30] or None,
                                issuer_name=got["issuer"][:200] or None), who, text=text)
                        ids[d["file"]] = doc.id
                    if label == "new" and prepared[d["file"]].ocr_pending:
                        text = ocr_remaining(prepared[d["file"]])
                        with office.db.write() as s:
                            from desk.services.documents import get_document

                            store_text(s, get_document(s, ids[d["file"]]), text)
                office.search.sync()
                per_kind: dict[str, list[int]] = defaultdict(list)
                for kind, q, f in queries:
                    hits = [h.id for h in office.search.search(q, limit=5)]
                    per_kind[kind].append(1 if ids[f] in hits else 0)
                    if show_missed and label == "new" and ids[f] not in hits:
                        print(f"  missed ({kind}): {q!r} for {f}")
                results[label] = per_kind
    print(f"\nSearch recall@5 ({len(queries)} clerk-style queries over the {len(docs)} documents):")
    print(f"  {'query kind':<28}{'new':>10}{'baseline':>10}")
    for kind in results["new"]:
        n, b = results["new"][kind], results["baseline"][kind]
        print(f"  {kind:<28}{sum(n) / len(n):>9.0%} {sum(b) / len(b):>9.0%}   (n={len(n)})")
    alln = [x for v in results["new"].values() for x in v]
    allb = [x for v in results["baseline"].values() for x in v]
    print(f"  {'all':<28}{sum(alln) / len(alln):>9.0%} {sum(allb) / len(allb):>9.0%}")


def main(argv: list[str]) -> int:
    from desk.ocr import tesseract_path
    from desk.textfold import same_wording

    ap = argparse.ArgumentParser(description="Reading real documents (issue 13): field accuracy, OCR "
                                 "speed and search recall@5, each beside a baseline measured in the same run.")
    ap.add_argument("--set", dest="which", choices=sorted(MANIFESTS), default="main",
                    help="which labelled documents: main (those the reader was calibrated on), "
                         "heldout (never used to calibrate it) or all")
    ap.add_argument("--quick", action="store_true", help="only the first 3 documents")
    ap.add_argument("--only", metavar="TEXT", help="only the documents whose file name contains TEXT")
    ap.add_argument("--ocr-cache", metavar="DIR", type=Path,
                    help="keep Tesseract's output per page image in DIR and reuse it (reading and search "
                         "only; the OCR speed is never cached)")
    ap.add_argument("--no-ocr-speed", action="store_true", help="skip the OCR speed measurement")
    ap.add_argument("--show-wrong", action="store_true",
                    help="print each wrong field (read, and the truth) and each query that missed")
    args = ap.parse_args(argv)
    which = args.which
    docs, skipped = load_set(which)
    print(f"Labelled set '{which}': " + ", ".join(str(m.relative_to(ROOT)) for m in MANIFESTS[which]))
    for why in skipped:
        print(f"skipped {why}")
    if args.quick:
        docs = docs[:3]
    if args.only:
        docs = [d for d in docs if args.only in d["file"]]
    uncache: Callable[[], None] = lambda: None  # noqa: E731
    if args.ocr_cache:
        uncache = install_ocr_cache(args.ocr_cache)
        print("OCR output cached (reading and search only; the OCR speed below is never cached)")
    if not docs:
        print("no labelled documents available: nothing measured")
        return 1
    if tesseract_path() is None:
        print("Tesseract is not installed: the scans cannot be read, nothing measured")
        return 1
    kinds = sorted({d["kind"] for d in docs})
    counts = ", ".join(f"{sum(d['kind'] == k for d in docs)} {k}" for k in kinds)
    print(f"Labelled set: {len(docs)} documents ({counts}), {len(skipped)} skipped")
    if "born-digital" not in kinds:
        print("  (no born-digital document in the set: born-digital accuracy is not measured here;"
              " tests/desk/test_reading.py covers generated born-digital pages)")
    right: dict[str, dict[tuple[str, str], list[int]]] = {"new": defaultdict(list), "baseline": defaultdict(list)}
    wrong_registered = {"new": 0, "baseline": 0}
    waiting = 0
    handwritten: dict[str, dict[str, int]] = {"code": defaultdict(int), "date": defaultdict(int)}
    prepared: dict[str, Any] = {}
    old: dict[str, tuple[dict[str, str], str]] = {}
    times = {"new": [], "baseline": []}
    for d in docs:
        truth = truth_of(d)
        t0 = time.perf_counter()
        got, sure, p = new_reader(d["path"])
        times["new"].append(time.perf_counter() - t0)
        prepared[d["file"]] = p
        t0 = time.perf_counter()
        ogot, otext = old_reader(d["path"])
        times["baseline"].append(time.perf_counter() - t0)
        old[d["file"]] = (ogot, otext)
        for label, g in (("new", got), ("baseline", ogot)):
            for f in FIELDS:
                right[label][(f, d["kind"])].append(int(same_wording(g[f], truth[f])))
        bad = [f for f in REQUIRED if not same_wording(got[f], truth[f])]
        if all(sure[f] for f in REQUIRED):
            wrong_registered["new"] += bool(bad)
        else:
            waiting += 1
        wrong_registered["baseline"] += any(not same_wording(ogot[f], truth[f]) for f in REQUIRED)
        if "handwritten" in d.get("note", ""):  # number and day written by hand: read right, wrong, left empty
            for f, empty in (("code", got["code"].startswith("/")), ("date", not got["date"])):
                handwritten[f]["empty" if empty else "right" if same_wording(got[f], truth[f]) else "wrong"] += 1
        marks = " ".join(f"{f}{'' if same_wording(got[f], truth[f]) else '✗'}{'' if sure[f] else '?'}" for f in FIELDS)
        print(f"  {d['file']:<24} {d['kind']:<12} {marks}")
        if args.show_wrong:
            for f in FIELDS:
                if not same_wording(got[f], truth[f]):
                    print(f"      {f}: read {got[f]!r}, truth {truth[f]!r}")
    print("  (✗ wrong, ? flagged for the clerk's check)")
    print("\nField accuracy (exact after whitespace and case; per field and kind):")
    print(f"  {'field':<10}{'kind':<14}{'new':>8}{'baseline':>10}")
    for f in FIELDS:
        for k in kinds:
            n, b = right["new"][(f, k)], right["baseline"][(f, k)]
            print(f"  {f:<10}{k:<14}{sum(n) / len(n):>7.0%}{sum(b) / len(b):>10.0%}")
    for k in kinds:
        n = [x for (f, kk), v in right["new"].items() if kk == k for x in v]
        b = [x for (f, kk), v in right["baseline"].items() if kk == k for x in v]
        print(f"  {'all':<10}{k:<14}{sum(n) / len(n):>7.0%}{sum(b) / len(b):>10.0%}")
    print(f"\n`import --register` on the set: new reader registered {len(docs) - waiting}, left {waiting} "
          f"waiting for the clerk; registered with a wrong required field: new {wrong_registered['new']}, "
          f"baseline {wrong_registered['baseline']} (the baseline registered every document)")
    n_hw = sum(handwritten["code"].values())
    if n_hw:
        print(f"Handwritten number and day ({n_hw} scans; suggestions for the clerk, never registered): "
              + "; ".join(f"{'số' if f == 'code' else 'ngày'}: {v['right']} right, {v['wrong']} wrong, "
                          f"{v['empty']} left empty" for f, v in handwritten.items()))
    print(f"Reading time per document (metadata only): new {statistics.median(times['new']):.1f} s, "
          f"baseline {statistics.median(times['baseline']):.1f} s (medians; OCR of the first and last page)")
    uncache()
    if not args.no_ocr_speed:
        ocr_speed(docs)
    if args.ocr_cache:
        install_ocr_cache(args.ocr_cache)
    recall(docs, prepared, old, show_missed=args.show_wrong)
    for p in prepared.values():
        p.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
