"""Issue 6 figure: from "sign and release" to the package queued for sending, for a 3-page
document, without the token's own time; the DOCX→PDF conversion reported apart.

    python bench/bench_release.py [--runs 5]

Real parts: a Word template filled and converted by LibreOffice, a SoftHSM2 token over
PKCS#11 (the token's raw signing time is measured around each call and subtracted), the
leader's visible signature, the clerk's number/date and seal, the release transaction
with its outbox row. Levels B-B (no network) and B-T (local test TSA) are both shown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed_signer(key: Any, bucket: list[float]) -> None:
    """Measure the token's own time: every raw signature goes through this wrapper."""
    inner = key.signer.async_sign_raw

    async def sign_raw(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            bucket.append(time.perf_counter() - t0)

    key.signer.async_sign_raw = sign_raw


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from desk import workflow
    from desk.convert import convert_docx
    from desk.drafting import create_draft
    from desk.models import Document, OutboxItem
    from desk.office import Office
    from desk.reference import Role
    from desk.services import outgoing, people
    from desk.services.documents import DocumentInput
    from desk.services.people import default_person
    from signing import DocumentSigner, Level, Pkcs11KeySource, SignOptions, TrustSettings
    from tests.support import pki

    work = Path(tempfile.mkdtemp(prefix="desk-bench-release-"))
    world = pki.build_world(work / "pki")
    server = pki.PkiServer(world.pki).start()
    office = Office.open(work / "office")
    try:
        with office.db.write() as s:
            people.init_office(s, "000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên", place="Tiên Yên",
                               notation="UBND")
            people.add_person(s, "vanthu", "Nguyễn Thị Lan", ["van_thu"])
            people.add_person(s, "chutich", "Trần Văn Đức", ["lanh_dao"], position="Chủ tịch")
        with office.db.read() as s:
            clerk, leader = default_person(s, Role.CLERK), default_person(s, Role.LEADER)
        outgoing.set_signature_image(office, leader.id, world.images["signature"], clerk)
        outgoing.set_seal_image(office, world.images["seal"], clerk)
        trust = TrustSettings((world.pki.cert("root"),), (world.pki.cert("interm"),))
        body = "\n".join(
            f"{i}. Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ được giao, chủ động xây dựng kế hoạch, "
            "bố trí nguồn lực, tổ chức triển khai thực hiện có hiệu quả các nhiệm vụ chuyển đổi số, "
            "định kỳ báo cáo kết quả về Văn phòng Ủy ban nhân dân huyện để tổng hợp." for i in range(1, 21))

        def fresh_pdf() -> tuple[int, bytes, float]:
            with office.db.write() as s:
                d = create_draft(s, office.blobs, DocumentInput(
                    doc_type="QD", subject="Về việc ban hành kế hoạch chuyển đổi số năm 2027",
                    signer_competence="TM. ỦY BAN NHÂN DÂN", signer_position="Chủ tịch",
                    signer_name="Trần Văn Đức"), "quyet-dinh", clerk, body=body)
                doc_id, sha = d.id, d.attachments[0].blob_sha256
            docx = work / f"d{doc_id}.docx"
            docx.write_bytes(office.blobs.read_bytes(sha))
            t0 = time.perf_counter()
            convert_docx(docx, work / f"d{doc_id}.pdf")
            return doc_id, (work / f"d{doc_id}.pdf").read_bytes(), time.perf_counter() - t0

        from pypdf import PdfReader

        conversions: list[float] = []
        for level in (Level.B_B, Level.B_T):
            totals, tokens = [], []
            lsrc = Pkcs11KeySource(world.module, pki.LEADER_TOKEN,
                                   format(world.pki.cert("leader").serial_number, "x"))
            osrc = Pkcs11KeySource(world.module, pki.ORG_TOKEN)
            pin = lambda _r: pki.USER_PIN  # noqa: E731
            with lsrc.open(pin) as lkey, osrc.open(pin) as okey:
                bucket: list[float] = []
                _timed_signer(lkey, bucket)
                _timed_signer(okey, bucket)
                opts = SignOptions(level=level, tsa_url=world.pki.tsa_url, trust=trust)
                lsigner, osigner = DocumentSigner(lkey, opts), DocumentSigner(okey, opts)
                for run in range(args.runs + 1):  # the first run warms caches and is not counted
                    doc_id, pdf, conv = fresh_pdf()
                    pages = len(PdfReader(work / f"d{doc_id}.pdf").pages)
                    outgoing.prepare_pdf(office, doc_id, pdf, clerk)
                    with office.db.write() as s:
                        workflow.apply(s, s.get(Document, doc_id), "submit", clerk.id)  # type: ignore[arg-type]
                    bucket.clear()
                    t0 = time.perf_counter()
                    outgoing.leader_sign(office, doc_id, lsigner, leader)
                    outgoing.number_seal_release(office, doc_id, osigner, clerk,
                                                 recipients=[("000.00.00.H49", "UBND tỉnh Quảng Ninh")])
                    elapsed = time.perf_counter() - t0
                    with office.db.read() as s:
                        queued = s.query(OutboxItem).filter(OutboxItem.document_id == doc_id).count()
                    assert queued == 1, "the package was not queued"
                    if run:
                        totals.append(elapsed)
                        tokens.append(sum(bucket))
                        conversions.append(conv)
            med_total = statistics.median(totals)
            med_token = statistics.median(tokens)
            print(f"{level.name}: sign and release → queued, {pages}-page document, {args.runs} runs: "
                  f"median {med_total * 1000:.0f} ms in all, token {med_token * 1000:.0f} ms, "
                  f"without the token {(med_total - med_token) * 1000:.0f} ms (target < 2000 ms)")
        print(f"DOCX→PDF conversion (LibreOffice, warm): median {statistics.median(conversions) * 1000:.0f} ms, "
              f"max {max(conversions) * 1000:.0f} ms")
    finally:
        office.close()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
