"""Issue 11 figure: a stream of good and hostile packages from three agencies, one office.

    python bench/bench_hostile.py [--good 20] [--hostile 10]

Three agencies send to one Desk office through a real ``desk serve`` on 127.0.0.1:
each sends ``--good`` valid documents interleaved with ``--hostile`` hostile packages of
every kind the issue names (PageAmount overflow, a 101-level page tree, foreign
encoding, duplicate Subject, a 20 MB attribute, garbage, JavaScript + launch + .exe,
a 300 MB flate bomb, an RLO file name). The office then runs its sync rounds until its
mailbox is empty.

Prints: good documents delivered / sent, hostile ones refused by the server, set aside
(quarantined) by the office, delivered but flagged, and lost (a good document not
stored); sync rounds with errors; and the server's peak RSS (VmHWM) — beside a baseline
run of the same good documents only, on a fresh server, in the same process.
Targets: every good document delivered, 0 lost, peak server RSS under 150 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "security"))

SENDERS = ("000.00.41.H49", "000.00.42.H49", "000.00.43.H49")
OFFICE = "000.00.40.H49"


def _hostile_kinds(folder: Path, sender: str, n: int) -> list[tuple[str, bytes]]:
    import hostile

    good = hostile.edoc(folder, sender, OFFICE, n).read_bytes()
    decl_end = good.index(b"?>") + 2
    kinds = [
        ("page_amount", hostile.page_amount_overflow(folder, sender, OFFICE, n + 1).read_bytes()),
        ("deep_pdf", hostile.edoc(folder, sender, OFFICE, n + 2, pdf=hostile.deep_page_tree_pdf()).read_bytes()),
        ("encoding", b'<?xml version="1.0" encoding="x-bogus"?>' + good[decl_end:]),
        ("dup_subject", good.replace(b"</edXML:Subject>", b"</edXML:Subject><edXML:Subject>x</edXML:Subject>", 1)),
        ("big_attribute", good.replace(b"<edXML:Subject>", b'<edXML:Subject a="' + b"A" * (20 << 20) + b'">', 1)),
        ("garbage", b"<edXML" + bytes(range(256)) * 8),
        ("active_pdf", hostile.edoc(folder, sender, OFFICE, n + 3, pdf=hostile.javascript_pdf()).read_bytes()),
        ("flate_bomb", hostile.edoc(folder, sender, OFFICE, n + 4, pdf=hostile.flate_bomb_pdf(300)).read_bytes()),
        ("rlo_name", good.replace(b">van-ban.pdf<", ">hoa-don\u202efdp.exe<".encode())),
    ]
    return kinds


def run(tmp: Path, good_per_sender: int, hostile_per_sender: int) -> dict[str, float]:
    import hostile
    from sqlalchemy import select

    from desk.models import Document, InboxItem
    from desk.office import Office
    from desk.services import people
    from sync.client import ExchangeClient
    from sync.engine import SyncEngine
    from sync.errors import ServerRefused
    from sync.testing.server_proc import ServerProcess

    out: dict[str, float] = dict.fromkeys(
        ("good_sent", "good_delivered", "hostile_sent", "refused_by_server", "quarantined",
         "flagged_delivered", "lost", "round_errors"), 0)
    with ServerProcess(tmp / "server") as srv:
        secrets = {c: srv.add_agency(c, f"Đơn vị {c}") for c in (*SENDERS, OFFICE)}
        office = Office.open(tmp / "office")
        with office.db.write() as s:
            people.init_office(s, OFFICE, "Ủy ban nhân dân xã thử", place="Quảng Ninh", notation="UBND")
            people.add_person(s, "vanthu", "Nguyễn Thị Lan", ["van_thu"])
        kinds = {c: _hostile_kinds(tmp / "pk" / c, c, 100_000) for c in SENDERS} if hostile_per_sender else {}
        for c in SENDERS:
            client = ExchangeClient(srv.url, c, secrets[c], retry_delay=0.05, max_stalls=2)
            stream: list[tuple[str, bytes]] = []
            for i in range(good_per_sender):
                stream.append(("good", hostile.edoc(tmp / "pk" / c, c, OFFICE, i + 1).read_bytes()))
                if hostile_per_sender and i < hostile_per_sender:
                    stream.append(kinds[c][i % len(kinds[c])])
            for kind, data in stream:
                try:
                    client.send_edoc_bytes(data, to=[OFFICE])
                except ServerRefused:
                    out["refused_by_server"] += 1
                    out["hostile_sent"] += kind != "good"
                    if kind == "good":
                        out["lost"] += 1
                    continue
                if kind != "good":
                    out["hostile_sent"] += 1
            client.close()
        out["good_sent"] = good_per_sender * len(SENDERS)
        engine = SyncEngine(office, ExchangeClient(srv.url, OFFICE, secrets[OFFICE], retry_delay=0.05,
                                                   max_stalls=2))
        t0 = time.perf_counter()
        for _ in range(10):
            r = engine.run_once()
            out["round_errors"] += len(r.errors)
            if not engine.client.received("edoc"):  # type: ignore[attr-defined]
                break
        out["receive_s"] = time.perf_counter() - t0
        with office.db.read() as s:
            subjects = [d.subject for d in s.scalars(select(Document))]
            out["quarantined"] = len(s.scalars(select(InboxItem).where(InboxItem.state == "quarantine")).all())
            flagged = [e for d in s.scalars(select(Document)) for e in d.events
                       if (e.data or {}).get("active_content")]
        want = {f"Về việc thử nghiệm số {i + 1}" for i in range(good_per_sender)}
        delivered = [x for x in subjects if x in want]
        out["good_delivered"] = len(delivered)
        out["lost"] += out["good_sent"] - len(delivered)
        out["flagged_delivered"] = len(flagged)
        out["server_peak_rss_mb"] = srv.peak_rss_mb()
        office.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--good", type=int, default=20, help="good documents per agency")
    ap.add_argument("--hostile", type=int, default=9, help="hostile packages per agency")
    args = ap.parse_args()
    import logging

    logging.getLogger().addHandler(logging.NullHandler())  # the engine's warnings: not this figure
    logging.lastResort = None  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as d:
        base = run(Path(d) / "baseline", args.good, 0)
    with tempfile.TemporaryDirectory() as d:
        mixed = run(Path(d) / "mixed", args.good, args.hostile)
    print(f"bench_hostile: {len(SENDERS)} agencies -> 1 office through desk serve on 127.0.0.1")
    print(f"  baseline (good only): delivered {base['good_delivered']:.0f}/{base['good_sent']:.0f}, "
          f"lost {base['lost']:.0f}, server peak RSS {base['server_peak_rss_mb']:.0f} MB, "
          f"receive {base['receive_s']:.1f} s")
    print(f"  mixed: good delivered {mixed['good_delivered']:.0f}/{mixed['good_sent']:.0f}; hostile "
          f"{mixed['hostile_sent']:.0f}: refused by the server {mixed['refused_by_server']:.0f}, "
          f"quarantined by the office {mixed['quarantined']:.0f}, delivered "
          f"{mixed['hostile_sent'] - mixed['refused_by_server'] - mixed['quarantined']:.0f} (of which flagged "
          f"active content {mixed['flagged_delivered']:.0f}); lost {mixed['lost']:.0f}; rounds with errors "
          f"{mixed['round_errors']:.0f}")
    print(f"  server peak RSS {mixed['server_peak_rss_mb']:.0f} MB (baseline {base['server_peak_rss_mb']:.0f} MB, "
          f"ratio {mixed['server_peak_rss_mb'] / base['server_peak_rss_mb']:.2f}); target < 150 MB; "
          f"receive {mixed['receive_s']:.1f} s")
    ok = mixed["lost"] == 0 and mixed["good_delivered"] == mixed["good_sent"] and mixed["server_peak_rss_mb"] < 150
    print("  " + ("OK: all good delivered, 0 lost, RSS under target" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
