"""Issue 4 figure, office to office: documents of ~100 KB released in office A travel
through the exchange server on loopback to office B, each engine running its own rounds
(the same engine the desktop app runs in the background).

    python bench/bench_offices.py [--documents 1000]

Each document's main PDF is really signed (PAdES B-B, a PKCS#12 key of a test PKI
built in the run), so office B's engine verifies real signatures against that PKI's
trust anchors as it stores each document; the verdicts B recorded are counted and
printed. Prints documents per second and the p95 latency from "sent by A" to
"stored at B" (both measured from the outbox and inbox records), next to the
client-level send+fetch baseline measured in the same run on the same server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _signed_pdf(work: Path):  # type: ignore[no-untyped-def]
    """A signing function on a PKCS#12 key of a fresh test PKI, and that PKI's trust."""
    from signing.keys import Pkcs12KeySource
    from signing.pades import DocumentSigner, Level, SignOptions
    from signing.trust import TrustSettings
    from tests.support import pki

    test_pki = pki.build_pki(work / "pki")
    trust = TrustSettings((test_pki.cert("root"),), (test_pki.cert("interm"),))
    key = Pkcs12KeySource(test_pki.pkcs12("leader")).open(lambda _r: pki.P12_PASSWORD)
    signer = DocumentSigner(key, SignOptions(level=Level.B_B, trust=trust))

    def sign(pdf: bytes) -> bytes:
        return bytes(signer.sign_bytes(pdf)[0])

    return sign, trust


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=1000)
    args = ap.parse_args()

    from sqlalchemy import select

    from desk import workflow
    from desk.docpdf import PageSpec, render
    from desk.models import Document, DocumentEvent, InboxItem, OutboxItem
    from desk.office import Office
    from desk.reference import Role
    from desk.services import documents as docs
    from desk.services import people, release
    from desk.services.people import default_person
    from sync.client import ExchangeClient
    from sync.engine import SyncEngine
    from sync.testing.server_proc import ServerProcess

    work = Path(tempfile.mkdtemp(prefix="desk-bench-offices-"))
    signed_pdf, trust = _signed_pdf(work)
    a_code, b_code = "000.00.51.H49", "000.00.52.H49"
    with ServerProcess(work / "server") as server:
        offices = {}
        secrets = {}
        for code, name in ((a_code, "UBND huyện A"), (b_code, "UBND huyện B")):
            o = Office.open(work / code)
            with o.db.write() as s:
                people.init_office(s, code, name)
                people.add_person(s, "vt", "Văn thư", ["van_thu"])
            offices[code] = o
            secrets[code] = server.add_agency(code, name)
        a, b = offices[a_code], offices[b_code]
        with a.db.read() as s:
            clerk = default_person(s, Role.CLERK)
        pdf = signed_pdf(render(PageSpec("UBND TỈNH", "UBND HUYỆN A", "    /UBND", "A", date.today(), "",
                                         "đo tốc độ liên thông", ["Nội dung."], "", "Chủ tịch",
                                         "Nguyễn Văn A")))
        print(f"preparing {args.documents} documents of ~100 KB in office A …", flush=True)
        for i in range(args.documents):
            main_pdf = work / "main.pdf"
            main_pdf.write_bytes(pdf)
            extra = work / "phu-luc.bin"
            extra.write_bytes(os.urandom(max(1_000, 100_000 - len(pdf))))
            with a.db.write() as s:
                d = docs.create_outgoing(s, a.blobs, docs.DocumentInput(
                    doc_type="CV", subject=f"Về việc đo tốc độ liên thông số {i}", notation="UBND"),
                    clerk, files=[docs.FileInput(main_pdf, filename=f"cv-{i}.pdf"),
                                  docs.FileInput(extra, filename=f"pl-{i}.bin", kind="attachment")])
                workflow.apply(s, d, "submit", clerk.id)
                workflow.apply(s, d, "sign", clerk.id)
                release.release(s, d, clerk, [(b_code, "UBND huyện B")])

        ea = SyncEngine(a, ExchangeClient(server.url, a_code, secrets[a_code]))
        eb = SyncEngine(b, ExchangeClient(server.url, b_code, secrets[b_code]), trust=trust)
        done = threading.Event()

        def loop(engine: SyncEngine) -> None:
            while not done.is_set():
                engine.run_once()

        t0 = time.perf_counter()
        threads = [threading.Thread(target=loop, args=(e,)) for e in (ea, eb)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            with b.db.read() as s:
                n = s.query(Document).filter(Document.direction == "in").count()
            if n >= args.documents:
                break
            time.sleep(0.5)
        elapsed = time.perf_counter() - t0
        done.set()
        for t in threads:
            t.join()

        with a.db.read() as s:
            sent_at = {o.payload.get("server_id"): o.sent_at for o in s.scalars(
                select(OutboxItem).where(OutboxItem.kind == "edoc"))}
        with b.db.read() as s:
            stored = [(i.server_id, i.received_at) for i in s.scalars(select(InboxItem))]
            n = s.query(Document).filter(Document.direction == "in").count()
            verdicts = [v.get("verdict") for e in s.scalars(select(DocumentEvent).where(
                DocumentEvent.action == "receive")) for v in ((e.data or {}).get("signatures") or {}).values()]
        lat = sorted((got - sent_at[sid]).total_seconds() for sid, got in stored if sid in sent_at)
        p95 = lat[int(len(lat) * 0.95) - 1] if lat else float("nan")
        print(f"office A → server → office B: {n} of {args.documents} documents in {elapsed:.1f} s, "
              f"{n / elapsed:.1f} docs/s (both engines' full pipelines: package, send, list, download, "
              f"parse, verify the PDF's signatures, store, acknowledge, 01 back)")
        print(f"  signatures verified at B as each document was stored: {verdicts.count('valid')} of "
              f"{len(verdicts)} PDFs valid ({', '.join(sorted(set(map(str, verdicts)))) or 'none'})")
        print(f"  latency sent by A → stored at B: median {statistics.median(lat) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms (all documents queued at once, so this includes waiting "
              f"behind the others)")
        # Baseline in the same run: the bare client send + fetch of one package.
        c = ExchangeClient(server.url, a_code, secrets[a_code])
        cb = ExchangeClient(server.url, b_code, secrets[b_code])
        probe = work / "probe.edxml"
        import shutil as _sh

        from sync.edxml import (
            Code,
            MessageHeader,
            Organization,
            PromulgationInfo,
            write_package_file,
        )

        samples = []
        for i in range(50):
            write_package_file(probe, MessageHeader(
                from_=Organization(a_code, "A"), to=(Organization(b_code, "B"),),
                document_id=f"{a_code},2026/11/25,{9000 + i}/UBND", code=Code(str(9000 + i), "UBND"),
                promulgation_info=PromulgationInfo("A", date(2026, 11, 25)), subject=f"thăm dò {i}"))
            t1 = time.perf_counter()
            doc_id = c.send_edoc(probe, to=[b_code])
            cb.download(doc_id, work / "probe-got.edxml")
            cb.acknowledge(doc_id)
            samples.append(time.perf_counter() - t1)
        print(f"  baseline, bare client send + fetch + ack of one small package: median "
              f"{statistics.median(samples) * 1000:.0f} ms")
        for o in offices.values():
            o.close()
        _sh.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
