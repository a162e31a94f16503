"""Issue 6 end to end, for every Word template: draft → LibreOffice → the leader signs on the
SoftHSM2 token → the clerk numbers and seals → both signatures verify intact (pyHanko and
pdfsig) → a real exchange server → the second office receives and verifies, and its 01 and
then 06 come back to the sender."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import select

from desk import workflow
from desk.convert import convert_docx
from desk.drafting import TEMPLATES, create_draft
from desk.models import Document, Person
from desk.reference import AssignmentRole, Role
from desk.services import outgoing, registers, routing
from desk.services.documents import DocumentInput
from signing import DocumentSigner, Level, Pkcs11KeySource, SignOptions, TrustSettings, verify_pdf
from tests.engine.conftest import NAMES
from tests.support import pki

from .conftest import pin

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artefacts" / "outgoing"


def test_every_template_from_draft_to_done(pki_world, pki_server, exchange, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = exchange
    trust = TrustSettings((pki_world.pki.cert("root"),), (pki_world.pki.cert("interm"),))
    clerk, leader = a.person(Role.CLERK), a.person(Role.LEADER)
    with a.office.db.write() as s:
        s.get(Person, leader.id).position = "Chủ tịch"  # type: ignore[union-attr]
    leader = a.person(Role.LEADER)
    outgoing.set_signature_image(a.office, leader.id, pki_world.images["signature"], clerk)
    outgoing.set_seal_image(a.office, pki_world.images["seal"], clerk)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    released: dict[str, int] = {}
    leader_source = Pkcs11KeySource(pki_world.module, pki.LEADER_TOKEN,
                                    format(pki_world.pki.cert("leader").serial_number, "x"))
    with leader_source.open(pin) as lkey, Pkcs11KeySource(pki_world.module, pki.ORG_TOKEN).open(pin) as okey:
        options = SignOptions(level=Level.B_T, tsa_url=pki_world.pki.tsa_url, trust=trust)
        leader_signer, org_signer = DocumentSigner(lkey, options), DocumentSigner(okey, options)
        for spec in TEMPLATES:
            with a.office.db.write() as s:
                d = create_draft(s, a.office.blobs, DocumentInput(
                    doc_type=spec.doc_type, subject=f"Về việc triển khai chuyển đổi số năm 2026 ({spec.title})",
                    signer_competence="TM. ỦY BAN NHÂN DÂN", signer_position="Chủ tịch",
                    signer_name=leader.full_name,
                    recipients=[]), spec.code, clerk,
                    body="Đề nghị các cơ quan, đơn vị triển khai thực hiện nghiêm túc nội dung này.")
                doc_id, docx_sha = d.id, d.attachments[0].blob_sha256
            docx = tmp_path / f"{spec.code}.docx"
            docx.write_bytes(a.office.blobs.read_bytes(docx_sha))
            pdf = tmp_path / f"{spec.code}.pdf"
            convert_docx(docx, pdf)
            outgoing.prepare_pdf(a.office, doc_id, pdf.read_bytes(), clerk)
            with a.office.db.write() as s:
                workflow.apply(s, s.get(Document, doc_id), "submit", clerk.id)  # type: ignore[arg-type]
            outgoing.leader_sign(a.office, doc_id, leader_signer, leader)
            _, sealed = outgoing.number_seal_release(a.office, doc_id, org_signer, clerk,
                                                     recipients=[(b.code, NAMES["b"])])
            final = ARTEFACTS / f"{spec.code}.pdf"
            final.write_bytes(a.office.blobs.read_bytes(sealed.sha256))
            report = verify_pdf(final, trust=trust, online=False)
            sigs = [x for x in report.signatures if x.kind == "signature"]
            assert [x.intact for x in sigs] == [True, True], (spec.code, report.summary())
            assert report.verdict == "valid", (spec.code, report.summary())
            assert sigs[0].modification in ("form_filling", "annotations", "ltv_updates"), spec.code
            assert pki.pdfsig(final).count("Signature is Valid.") == 2, spec.code
            assert pki.qpdf_check(final)[0] == 0, spec.code
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(final),
                            str(ARTEFACTS / f"{spec.code}-page1")], check=True)
            released[spec.code] = doc_id

    numbers = []
    with a.office.db.read() as s:
        for doc_id in released.values():
            numbers.append(s.get(Document, doc_id).number)  # type: ignore[union-attr]
    assert numbers == [f"{n:02d}" for n in range(1, len(TEMPLATES) + 1)]

    assert a.engine().run_once().sent == len(TEMPLATES)
    rb = b.engine(trust=trust).run_once()
    assert rb.received == len(TEMPLATES)
    with b.office.db.read() as s:
        got = s.scalars(select(Document).where(Document.direction == "in")).all()
        verdicts = [v["verdict"] for d in got for v in (d.events[0].data or {})["signatures"].values()]
        ids = [d.id for d in got]
    assert verdicts == ["valid"] * len(TEMPLATES)
    a.engine().run_once()
    with a.office.db.read() as s:
        assert {r.status_code for i in released.values() for r in s.get(Document, i).recipients} == {"01"}  # type: ignore[union-attr]
    clerk_b, leader_b, sp_b = b.person(Role.CLERK), b.person(Role.LEADER), b.person(Role.SPECIALIST)
    with b.office.db.write() as s:
        for i in ids:
            d = s.get(Document, i)
            registers.register_incoming(s, d, clerk_b)  # type: ignore[arg-type]
            routing.assign(s, d, leader_b, [routing.AssignTarget(AssignmentRole.LEAD, person_id=sp_b.id)])  # type: ignore[arg-type]
            routing.finish(s, d, s.get(Person, sp_b.id), "Đã thực hiện")  # type: ignore[arg-type]
    b.engine(trust=trust).run_once()
    a.engine().run_once()
    with a.office.db.read() as s:
        assert {r.status_code for i in released.values() for r in s.get(Document, i).recipients} == {"06"}  # type: ignore[union-attr]
