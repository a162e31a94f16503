"""Exchange figures (issue 4), each printed with a baseline measured in the same run.

1. 1,000 documents of 100 KB from one agency to another through the server on
   loopback: documents/s and p95 latency (client send -> recipient fetched).
   Baseline: writing + fsyncing the same packages to the local disk.
2. A 200 MB PDF (a one-page PDF carrying a 200 MB embedded file): peak memory
   (VmHWM) of the sending client, of the receiving office through the real inbox
   path (SyncEngine.run_once: download, parse, verify the PDF's signatures, read
   its text, store, acknowledge) and of the server process (target < 150 MB
   each). Baselines in the same run: idle RSS, and a bare client that only
   downloads and parses the same package.
3. 20 agencies sending at once: none lost. Baseline: the same load sent by one agency.
4. A 20 MB document over a link of 256 kbit/s that drops every 30 s: bytes on the
   wire / document size (target <= 1.2). The sender is on the bad link; ~11 minutes
   at that rate, so ``--quick`` runs it at 8 Mbit/s with a cut every 2 s.

Run: ``.venv/bin/python bench/bench_exchange.py [--quick] [--only 1,2,3,4]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync.client import ExchangeClient  # noqa: E402
from sync.edxml import (  # noqa: E402
    AttachmentSource,
    Code,
    MessageHeader,
    Organization,
    PromulgationInfo,
    parse_file,
    write_package_file,
)
from sync.testing.netem import Netem  # noqa: E402
from sync.testing.server_proc import ServerProcess, current_peak_rss_mb  # noqa: E402

A, B = "000.00.01.H49", "000.00.02.H49"


def make_package(folder: Path, sender: str, to: str, n: int, payload: bytes | Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(payload, Path):
        att = payload
    else:
        att = folder / f"a{n}.pdf"
        att.write_bytes(payload)
    h = MessageHeader(
        from_=Organization(sender, "Đơn vị gửi"),
        to=(Organization(to),),
        document_id=f"{sender},2026/11/25,{n}/UBND",
        code=Code(str(n), "UBND"),
        promulgation_info=PromulgationInfo("Hạ Long", date(2026, 11, 25)),
        subject=f"Văn bản đo hiệu năng số {n}",
    )
    path = folder / f"d{n}.edxml"
    write_package_file(path, h, None, [AttachmentSource(att, "van-ban.pdf")])
    if not isinstance(payload, Path):
        att.unlink()
    return path


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[94] if len(xs) >= 2 else xs[0]


# --- 1. throughput and latency ------------------------------------------------------------------


def _run_exchange(
    srv: ServerProcess, sa: str, sb: str, pkgs: list[Path], work: Path, pace_s: float
) -> tuple[float, list[float]]:
    """Send ``pkgs`` A->B (one every ``pace_s`` at most) while B lists, fetches and acknowledges."""
    n = len(pkgs)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    claimed: set[str] = set()

    def receiver(k: int) -> None:
        with ExchangeClient(srv.url, B, sb) as b:
            while len(latencies) < n:
                items = b.received()
                if not items:
                    time.sleep(0.005)
                for item in items:
                    with lock:
                        if item.doc_id in claimed:
                            continue
                        claimed.add(item.doc_id)
                    b.download(item.doc_id, work / f"in{k}.edxml")
                    b.acknowledge(item.doc_id)
                    fetched = time.perf_counter()
                    while item.doc_id not in sent_at:  # the sender has not seen its reply yet
                        time.sleep(0.0005)
                    with lock:
                        latencies.append(fetched - sent_at[item.doc_id])

    workers = [threading.Thread(target=receiver, args=(k,), daemon=True) for k in range(1)]
    start = time.perf_counter()
    with ExchangeClient(srv.url, A, sa) as a:
        for w in workers:
            w.start()
        for p in pkgs:
            t_send = time.perf_counter()
            doc_id = a.send_edoc(p)  # the DocId is known only after the reply
            sent_at.setdefault(doc_id, t_send)
            time.sleep(max(0.0, pace_s - (time.perf_counter() - t_send)))
    for w in workers:
        w.join(600)
    return n / (time.perf_counter() - start), latencies


def bench_throughput(work: Path, n: int) -> None:
    pkgs = [
        make_package(work / "pk", A, B, i, os.urandom(75 * 1024)) for i in range(n)
    ]  # ~100 KB edXML
    size = pkgs[0].stat().st_size
    t0 = time.perf_counter()
    for p in pkgs:  # baseline: the durable-write floor on this disk
        with (work / "copy").open("wb") as f:
            f.write(p.read_bytes())
            f.flush()
            os.fsync(f.fileno())
    base = n / (time.perf_counter() - t0)
    with ServerProcess(work / "srv1") as srv:
        sa, sb = srv.add_agency(A, "A"), srv.add_agency(B, "B")
        rate, lat = _run_exchange(srv, sa, sb, pkgs, work, 0.0)
        paced = [make_package(work / "pk2", A, B, n + i, os.urandom(75 * 1024)) for i in range(200)]
        pace_rate, pace_lat = _run_exchange(srv, sa, sb, paced, work, 2.0 / rate)
    print(
        f"[1] {n} documents of {size / 1024:.0f} KB A->B on loopback, as fast as they go: {rate:.1f} docs/s; "
        f"latency send->fetched p95 {p95(lat) * 1000:.0f} ms, median {statistics.median(lat) * 1000:.0f} ms "
        f"(queueing: the sender outruns the fetcher)"
    )
    print(
        f"    at half that rate ({pace_rate:.1f} docs/s, 200 documents): p95 {p95(pace_lat) * 1000:.0f} ms, "
        f"median {statistics.median(pace_lat) * 1000:.0f} ms"
    )
    print(
        f"    baseline: local write+fsync of the same files {base:.0f} docs/s; ratio {rate / base:.3f}"
    )


# --- 2. a 200 MB attachment: peak memory ---------------------------------------------------------

ROLE_SEND = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.bench_exchange import make_package
from sync.client import ExchangeClient
from sync.testing.server_proc import current_peak_rss_mb
work, url, secret, mb, n = Path(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
idle = current_peak_rss_mb()
from bench.bench_exchange import write_big_pdf
big = write_big_pdf(work / "big.pdf", mb)
pkg = make_package(work, "000.00.01.H49", "000.00.02.H49", n, big)
t = time.perf_counter()
with ExchangeClient(url, "000.00.01.H49", secret, timeout=600) as c:
    doc = c.send_edoc(pkg)
print(doc, pkg.stat().st_size, time.perf_counter() - t, idle, current_peak_rss_mb())
"""

ROLE_RECV = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sync.client import ExchangeClient
from sync.edxml import parse_file
from sync.testing.server_proc import current_peak_rss_mb
work, url, secret, doc = Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
t = time.perf_counter()
with ExchangeClient(url, "000.00.02.H49", secret, timeout=600) as c:
    c.download(doc, work / "got.edxml")
    (work / "att").mkdir()
    pkg = parse_file(work / "got.edxml", work / "att")
    c.acknowledge(doc)
print(pkg.attachments[0].size, time.perf_counter() - t, current_peak_rss_mb())
"""

# The receiving office as the app runs it: its SyncEngine stores the document.
ROLE_INBOX = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from desk.models import Attachment, Document
from desk.office import Office
from desk.services import people
from sync.client import ExchangeClient
from sync.engine import SyncEngine
from sync.testing.server_proc import current_peak_rss_mb
work, url, secret = Path(sys.argv[2]), sys.argv[3], sys.argv[4]
office = Office.open(work / "office")
with office.db.write() as s:
    people.init_office(s, "000.00.02.H49", "B")
    people.add_person(s, "vt", "Văn thư", ["van_thu"])
idle = current_peak_rss_mb()
t = time.perf_counter()
report = SyncEngine(office, ExchangeClient(url, "000.00.02.H49", secret, timeout=600)).run_once()
elapsed = time.perf_counter() - t
with office.db.read() as s:
    sizes = [a.size for d in s.query(Document).filter(Document.direction == "in") for a in d.attachments]
if not sizes:
    from desk.models import InboxItem
    with office.db.read() as s:
        raise SystemExit(f"not stored: {report} {[(i.state, i.note) for i in s.query(InboxItem)]}")
print(max(sizes), elapsed, idle, current_peak_rss_mb())
office.close()
"""


def write_big_pdf(path: Path, mb: int) -> Path:
    """A valid one-page PDF carrying ``mb`` MB as an embedded file, written in 1 MB blocks
    (never whole in memory), so the receiving side handles a PDF of that size."""
    size = mb << 20
    offsets: list[int] = []
    with path.open("wb") as f:
        def obj(body: bytes) -> None:
            offsets.append(f.tell())
            f.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(phu-luc.bin) 5 0 R] >> >> >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
        offsets.append(f.tell())
        f.write(f"4 0 obj\n<< /Type /EmbeddedFile /Length {size} >>\nstream\n".encode())
        block = bytes(range(256)) * 4096
        for i in range(mb):
            f.write(block if i % 2 else block[::-1])
        f.write(b"\nendstream\nendobj\n")
        obj(b"<< /Type /Filespec /F (phu-luc.bin) /EF << /F 4 0 R >> >>")
        xref = f.tell()
        f.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        for off in offsets:
            f.write(f"{off:010d} 00000 n \n".encode())
        f.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return path


def _role(code: str, *args: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"a bench role failed:\n{r.stderr[-3000:]}")
    return r.stdout.split()


def bench_memory(work: Path, mb: int) -> None:
    with ServerProcess(work / "srv2") as srv:
        sa, sb = srv.add_agency(A, "A"), srv.add_agency(B, "B")
        time.sleep(0.3)
        server_idle = srv.peak_rss_mb()
        (work / "s").mkdir()
        (work / "r").mkdir()
        out = _role(ROLE_SEND, str(work / "s"), srv.url, sa, str(mb), "999999")
        doc, size, send_s, c_idle, c_peak = (
            out[0],
            int(out[1]),
            float(out[2]),
            float(out[3]),
            float(out[4]),
        )
        out = _role(ROLE_RECV, str(work / "r"), srv.url, sb, doc)
        att_size, recv_s, r_peak = int(out[0]), float(out[1]), float(out[2])
        # The same package again, received by an office through its inbox.
        (work / "s2").mkdir()
        (work / "o").mkdir()
        _role(ROLE_SEND, str(work / "s2"), srv.url, sa, str(mb), "999998")
        out = _role(ROLE_INBOX, str(work / "o"), srv.url, sb)
        inbox_size, inbox_s, inbox_idle, inbox_peak = int(out[0]), float(out[1]), float(out[2]), float(out[3])
        server_peak = srv.peak_rss_mb()
    assert att_size == inbox_size and att_size > mb << 20, (att_size, inbox_size)
    print(
        f"[2] PDF of {att_size / 2**20:.0f} MB ({size / 2**20:.0f} MB edXML): send {send_s:.1f} s; "
        f"office inbox (download, parse, verify, text, store, ack) {inbox_s:.1f} s"
    )
    print(
        f"    peak RSS: sending client {c_peak:.0f} MB, receiving office (real inbox path) {inbox_peak:.0f} MB, "
        f"server {server_peak:.0f} MB (target < 150 MB each)"
    )
    print(
        f"    baselines: bare client download+parse {r_peak:.0f} MB peak ({recv_s:.1f} s); idle RSS: "
        f"client {c_idle:.0f} MB, office {inbox_idle:.0f} MB, server {server_idle:.0f} MB; "
        f"ratio server peak/idle {server_peak / server_idle:.2f}"
    )


# --- 3. 20 agencies at once ---------------------------------------------------------------------


def bench_concurrency(work: Path, agencies: int, per: int) -> None:
    codes = [f"000.{i:02d}.05.H49" for i in range(agencies)]
    pk = {
        c: [make_package(work / "c" / c, c, B, i, os.urandom(75 * 1024)) for i in range(per)]
        for c in codes
    }
    with ServerProcess(work / "srv3") as srv:
        sb = srv.add_agency(B, "B")
        secrets = {c: srv.add_agency(c, c) for c in codes}

        def send_all(code: str) -> list[str]:
            with ExchangeClient(srv.url, code, secrets[code]) as c:
                return [c.send_edoc(p) for p in pk[code]]

        t0 = time.perf_counter()
        seq = send_all(codes[0])  # baseline: one agency alone
        base_rate = len(seq) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(agencies) as ex:
            ids = [d for ds in ex.map(send_all, codes) for d in ds]
        rate = len(ids) / (time.perf_counter() - t0)
        with ExchangeClient(srv.url, B, sb) as b:
            got = {r.doc_id for r in b.received()}
    lost = len(set(ids) - got)
    print(
        f"[3] {agencies} agencies x {per} documents at once: {len(ids)} sent, {len(got)} in the mailbox, "
        f"{lost} lost; {rate:.1f} docs/s"
    )
    print(
        f"    baseline: one agency alone {base_rate:.1f} docs/s; ratio {rate / base_rate:.2f} "
        f"(the resends of agency 0 are deduplicated: same DocId)"
    )
    assert lost == 0 and len(got) == agencies * per


# --- 4. bad link ---------------------------------------------------------------------------------


def bench_bad_link(work: Path, quick: bool, mb: float, download: bool) -> None:
    rate, cut = (8e6, 2.0) if quick else (256e3, 30.0)
    raw = os.urandom(int(mb * 0.75 * 2**20))  # base64 makes it ~mb MB of edXML
    pkg = make_package(work / "link", A, B, 1, raw)
    size = pkg.stat().st_size
    with ServerProcess(work / "srv4") as srv:
        sa, sb = srv.add_agency(A, "A"), srv.add_agency(B, "B")
        with Netem(srv.port, rate_bits_s=rate, cut_every_s=cut) as link:
            t0 = time.perf_counter()
            with ExchangeClient(
                f"http://127.0.0.1:{link.port}", A, sa, timeout=120, max_stalls=30
            ) as a:
                doc = a.send_edoc(pkg)
                attempts = a.last_transfer.attempts
            elapsed = time.perf_counter() - t0
            wire = link.stats.bytes_up + link.stats.bytes_down
            up, cuts = link.stats.bytes_up, link.stats.cuts
        down = None
        if download:
            with Netem(srv.port, rate_bits_s=rate, cut_every_s=cut) as link2:
                t1 = time.perf_counter()
                with ExchangeClient(
                    f"http://127.0.0.1:{link2.port}", B, sb, timeout=120, max_stalls=30
                ) as b:
                    got = b.download(doc, work / "link-got.edxml")
                down = (
                    time.perf_counter() - t1,
                    link2.stats.bytes_up + link2.stats.bytes_down,
                    link2.stats.cuts,
                )
        else:
            with ExchangeClient(srv.url, B, sb) as b:
                got = b.download(doc, work / "link-got.edxml")
        ok = parse_file(got).attachments[0].size == len(raw)
    ideal = size / (rate / 8)
    print(
        f"[4] {size / 2**20:.1f} MB document over {rate / 1e3:.0f} kbit/s dropping every {cut:.0f} s"
        f"{' (--quick)' if quick else ''}: arrived={ok} in {elapsed:.0f} s, {cuts} cuts, {attempts} PATCH attempts"
    )
    print(
        f"    bytes on the link: up {up / 2**20:.2f} MB, both ways {wire / 2**20:.2f} MB; "
        f"ratio to the document size {wire / size:.3f} (target <= 1.2)"
    )
    print(
        f"    baseline: the size at line rate without cuts would take {ideal:.0f} s; ratio {elapsed / ideal:.2f}"
    )
    if down is not None:
        print(
            f"    recipient on the same kind of link: download {down[0]:.0f} s, {down[2]} cuts, "
            f"{down[1] / 2**20:.2f} MB on the link, ratio {down[1] / size:.3f}"
        )


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="bad link at 8 Mbit/s, cut every 2 s")
    p.add_argument("--only", default="1,2,3,4")
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--big-mb", type=int, default=200)
    p.add_argument("--link-mb", type=float, default=20)
    p.add_argument(
        "--download-too",
        action="store_true",
        help="also fetch over the bad link (always on with --quick; +11 min at 256 kbit/s)",
    )
    a = p.parse_args()
    which = set(a.only.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as d:
        work = Path(d)
        if "1" in which:
            bench_throughput(work / "t", a.docs)
        if "2" in which:
            bench_memory(work / "m", a.big_mb)
        if "3" in which:
            bench_concurrency(work / "c", 20, 10)
        if "4" in which:
            bench_bad_link(work / "l", a.quick, a.link_mb, a.quick or a.download_too)
    print(f"bench process peak RSS {current_peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
