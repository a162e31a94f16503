"""Figures for the desktop app (issue 5), each beside a baseline measured in the same run.

    python bench/bench_ui.py [--documents 100000] [--runs 5]

- start to first list: ``desk gui --screenshot`` on a 100,000-document office, from
  process creation (the OS's start time, so interpreter start-up and imports count) to
  the first list shown; baseline: a bare PySide6 process showing a QMainWindow with a
  one-row table, measured the same way. Target < 1.5 s.
- memory (RSS) after scrolling the whole 100,000-document list to the end, page by
  page (incremental fetching), and the slowest page fetch; baseline: RSS of the bare
  PySide6 window. Target < 300 MB.
- search as you type: for each prefix of typical queries, the time from the query
  starting (after the typing pause) to the rows being in the list model, p50/p95;
  baseline: the search engine's own call for the same prefix. Target < 50 ms.

The 100,000-document office is built once (~50 s) and cached in the temp folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["quyết định", "chuyen doi so", "phòng cháy chữa cháy", "ngân sách", "Sở Tài chính",
           "tiem chung mo rong", "giải ngân vốn"]

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
sys.path.insert(0, {root!r})
from ui.startup import seconds_since_start
app = QApplication(sys.argv[:1])
w = QMainWindow()
t = QTableWidget(1, 3)
for c in range(3):
    t.setItem(0, c, QTableWidgetItem("Quyết định"))
w.setCentralWidget(t)
w.resize(1440, 860)
w.show()
app.processEvents()
print(f"first_list_s={{seconds_since_start():.3f}}")
print(f"rss_mb={{int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024:.1f}}")
"""


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return int(fh.read().split("VmRSS:")[1].split()[0]) / 1024


def office_home(documents: int) -> Path:
    """The cached demo office (built into a .partial folder, renamed when complete)."""
    base = Path(tempfile.gettempdir()) / f"desk-bench-ui-{documents // 1000}k"
    home = base / "office"
    if home.exists():
        return home
    from desk.demo import seed
    from desk.office import Office

    partial = base / "office.partial"
    if partial.exists():
        import shutil

        shutil.rmtree(partial)
    print(f"building a {documents:,}-document office in {home} (once)…", flush=True)
    with Office.open(partial) as office:
        seed(office, documents, pdfs=20)
    partial.rename(home)
    return home


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_LANG="vi")


def _value(out: str, key: str) -> float:
    for line in out.splitlines():
        if line.startswith(key + "="):
            return float(line.split("=", 1)[1])
    raise SystemExit(f"no {key} in output:\n{out}")


def startup(home: Path, runs: int) -> None:
    desk, bare, bare_rss = [], [], []
    shot = Path(tempfile.gettempdir()) / "desk-bench-ui-shot.png"
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-m", "desk.cli.main", "--home", str(home), "gui",
                            "--screenshot", str(shot)], env=_env(), capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
        if r.returncode:
            raise SystemExit(r.stderr)
        desk.append(_value(r.stdout, "first_list_s"))
        b = subprocess.run([sys.executable, "-c", BARE.format(root=str(ROOT))], env=_env(),
                           capture_output=True, text=True, timeout=60)
        if b.returncode:
            raise SystemExit(b.stderr)
        bare.append(_value(b.stdout, "first_list_s"))
        bare_rss.append(_value(b.stdout, "rss_mb"))
    d, b = statistics.median(desk), statistics.median(bare)
    print(f"start to first list (desk gui, 100k office): median {d:.3f} s over {runs} runs "
          f"(min {min(desk):.3f}, max {max(desk):.3f}); target < 1.5 s: {'OK' if d < 1.5 else 'MISSED'}")
    print(f"  baseline, bare PySide6 window process:      median {b:.3f} s; ratio {d / b:.1f}x")
    print(f"  bare PySide6 window RSS: {statistics.median(bare_rss):.0f} MB")


def child(home: Path) -> None:
    """In a fresh process: scroll the whole list, then search as you type."""
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer

    from ui import ops
    from ui.app import application, open_context
    from ui.mainwindow import MainWindow

    app = application()
    ctx = open_context(home, "vi", "vanthu")
    ctx.settings.first_run_done = True
    win = MainWindow(ctx)
    win.resize(1440, 860)
    win.show()

    def idle(timeout: float = 30.0) -> None:
        end = time.perf_counter() + timeout
        pool = QThreadPool.globalInstance()
        while time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if pool.activeThreadCount() == 0 and not ops._running:
                return
        raise SystemExit("background work did not finish")

    idle()
    ctx.office.search.ensure()  # the index heals in the background at start; wait for it here
    page = win.list_page
    win.nav.select("search")  # every document
    idle()
    model, table = page.model, page.table
    total = int(page.count_label.text().split()[0].replace(".", ""))
    fetch_ms: list[float] = []
    original = model.fetchMore

    def timed(parent=None):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        original() if parent is None else original(parent)
        fetch_ms.append((time.perf_counter() - t) * 1000)

    model.fetchMore = timed  # type: ignore[method-assign]
    t0 = time.perf_counter()
    while model.canFetchMore():
        table.scrollToBottom()
        app.processEvents()
    scroll_s = time.perf_counter() - t0
    app.processEvents()
    rows = model.rowCount()
    print(f"scrolled the whole list: {rows:,} of {total:,} rows in {scroll_s:.1f} s, "
          f"{len(fetch_ms)} pages; slowest page {max(fetch_ms):.1f} ms, p95 "
          f"{statistics.quantiles(fetch_ms, n=20)[18]:.1f} ms")
    mem = rss_mb()
    print(f"memory after scrolling: RSS {mem:.0f} MB; target < 300 MB: {'OK' if mem < 300 else 'MISSED'}")

    # Search as you type: each prefix, from the query starting to rows in the model.
    ui_ms: list[float] = []
    engine_ms: list[float] = []
    done: list[int] = []
    page.list_shown.connect(lambda n: done.append(n))
    for q in QUERIES:
        for i in range(2, len(q) + 1):
            prefix = q[:i]
            page.search.blockSignals(True)  # no typing pause here: the pause is not latency
            page.search.setText(prefix)
            page.search.blockSignals(False)
            done.clear()
            page.last_search_ms = None
            page.refresh()
            end = time.perf_counter() + 10
            while not done and time.perf_counter() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if page.last_search_ms is not None:
                ui_ms.append(page.last_search_ms)
            t = time.perf_counter()
            ctx.office.search.search(prefix, page.filters(), limit=200, prefix_last=True)
            engine_ms.append((time.perf_counter() - t) * 1000)
    p50, p95 = statistics.median(ui_ms), statistics.quantiles(ui_ms, n=20)[18]
    e50, e95 = statistics.median(engine_ms), statistics.quantiles(engine_ms, n=20)[18]
    print(f"search as you type ({len(ui_ms)} prefixes of {len(QUERIES)} queries): p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms; target < 50 ms: {'OK' if p95 < 50 else 'MISSED'}")
    print(f"  baseline, the search engine call alone: p50 {e50:.1f} ms, p95 {e95:.1f} ms; "
          f"ratio {p95 / e95:.1f}x at p95")
    QTimer.singleShot(0, app.quit)
    win.sync_status.stop()
    win.close()
    QThreadPool.globalInstance().waitForDone(10_000)
    ctx.office.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--documents", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--child", metavar="HOME", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        child(Path(args.child))
        return 0
    home = office_home(args.documents)
    startup(home, args.runs)
    r = subprocess.run([sys.executable, __file__, "--child", str(home)], env=_env(), cwd=ROOT, timeout=900)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
