"""Outgoing end to end on real parts: the leader signs on a SoftHSM2 token, the clerk
numbers and seals, both signatures verify intact (pyHanko and poppler's pdfsig), the
package travels through a real exchange server to a second office, which verifies it
and sends 01 then 06 back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desk import workflow
from desk.models import Document, Person
from desk.reference import AssignmentRole, Role
from desk.services import documents as docs
from desk.services import outgoing, registers, routing
from signing import DocumentSigner, Level, Pkcs11KeySource, SignOptions, TrustSettings, verify_pdf
from tests.engine.conftest import NAMES
from tests.support import pki

from .conftest import pin


def test_sign_number_seal_release_and_hear_back(pki_world, pki_server, exchange, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = exchange
    trust = TrustSettings((pki_world.pki.cert("root"),), (pki_world.pki.cert("interm"),))
    clerk, leader = a.person(Role.CLERK), a.person(Role.LEADER)
    with a.office.db.write() as s:  # the leader's title as printed on the draft
        s.get(Person, leader.id).position = "Chủ tịch"  # type: ignore[union-attr]
    outgoing.set_signature_image(a.office, leader.id, pki_world.images["signature"], clerk)
    outgoing.set_seal_image(a.office, pki_world.images["seal"], clerk)
    draft = pki.make_decree_pdf(tmp_path / "qd.pdf", title="CHỦ TỊCH", signer="Trần Văn Đức")
    with a.office.db.write() as s:
        d = docs.create_outgoing(s, a.office.blobs, docs.DocumentInput(
            doc_type="QD", subject="Quyết định phê duyệt kế hoạch chuyển đổi số năm 2026",
            notation="QĐ-UBND"), clerk)
        doc_id = d.id
    outgoing.prepare_pdf(a.office, doc_id, draft.read_bytes(), clerk)
    with a.office.db.write() as s:
        workflow.apply(s, s.get(Document, doc_id), "submit", clerk.id)  # type: ignore[arg-type]

    leader_source = Pkcs11KeySource(pki_world.module, pki.LEADER_TOKEN,
                                    format(pki_world.pki.cert("leader").serial_number, "x"))
    with leader_source.open(pin) as key:
        signer = DocumentSigner(key, SignOptions(level=Level.B_T, tsa_url=pki_world.pki.tsa_url,
                                                 trust=trust))
        signed = outgoing.leader_sign(a.office, doc_id, signer, leader)
    assert signed.level == Level.B_T and not signed.pending_proof

    with Pkcs11KeySource(pki_world.module, pki.ORG_TOKEN).open(pin) as key:
        org_signer = DocumentSigner(key, SignOptions(level=Level.B_T, tsa_url=pki_world.pki.tsa_url,
                                                     trust=trust))
        reg, sealed = outgoing.number_seal_release(a.office, doc_id, org_signer, clerk,
                                                   recipients=[(b.code, NAMES["b"])])
    assert reg.number == 1
    artefacts = Path(__file__).resolve().parents[2] / "build" / "test-artefacts" / "outgoing"
    artefacts.mkdir(parents=True, exist_ok=True)
    final = artefacts / "released.pdf"  # kept for a human look at the App. I layout
    final.write_bytes(a.office.blobs.read_bytes(sealed.sha256))

    report = verify_pdf(final, trust=trust, online=False)
    assert [s.intact for s in report.signatures if s.kind == "signature"] == [True, True]
    leader_sig, org_sig = [s for s in report.signatures if s.kind == "signature"]
    assert leader_sig.signer == pki.LEADER_NAME
    assert leader_sig.modification in ("form_filling", "annotations", "ltv_updates")
    assert org_sig.covers_whole_file and report.verdict == "valid", report.summary()
    out = pki.pdfsig(final)
    assert out.count("Signature is Valid.") == 2, out
    code, text = pki.qpdf_check(final)
    assert code == 0, text
    # The number and date are in the page text now.
    from pypdf import PdfReader

    fields = PdfReader(str(final)).get_fields() or {}
    assert fields["So"]["/V"] == "01"
    with a.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None and d.state == "released" and d.number == "01"
        assert len(outgoing.versions(s, doc_id)) == 3  # prepared, leader-signed, sealed

    # Through the exchange to office B, which verifies and answers.
    assert a.engine().run_once().sent == 1
    b_engine = b.engine(trust=trust)
    assert b_engine.run_once().received == 1
    with b.office.db.read() as s:
        got = s.scalars(select(Document).where(Document.direction == "in")).one()
        first_event = got.events[0]
        verdicts = (first_event.data or {}).get("signatures", {})
        got_id = got.id
    assert [v["verdict"] for v in verdicts.values()] == ["valid"], verdicts
    clerk_b, leader_b, sp_b = b.person(Role.CLERK), b.person(Role.LEADER), b.person(Role.SPECIALIST)
    with b.office.db.write() as s:
        d = s.get(Document, got_id)
        registers.register_incoming(s, d, clerk_b)  # type: ignore[arg-type]
        routing.assign(s, d, leader_b, [routing.AssignTarget(AssignmentRole.LEAD, person_id=sp_b.id)])  # type: ignore[arg-type]
    b_engine.run_once()
    a.engine().run_once()
    with a.office.db.read() as s:
        assert {r.status_code for r in s.get(Document, doc_id).recipients} == {"04"}  # type: ignore[union-attr]
    with b.office.db.write() as s:
        routing.finish(s, s.get(Document, got_id), s.get(Person, sp_b.id), "Đã thực hiện")  # type: ignore[arg-type]
    b_engine.run_once()
    a.engine().run_once()
    with a.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert {r.status_code for r in d.recipients} == {"06"}  # type: ignore[union-attr]
        codes = [e.data["code"] for e in d.events if e.action == "recipient_status"]  # type: ignore[union-attr,index]
    assert codes[0] == "01" and codes[-1] == "06"


def test_electronic_copy_carries_the_organisation_signature(pki_world, exchange, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from signing import CopyKind

    a, _ = exchange
    trust = TrustSettings((pki_world.pki.cert("root"),), (pki_world.pki.cert("interm"),))
    clerk = a.person(Role.CLERK)
    src = pki.make_decree_pdf(tmp_path / "goc.pdf")
    with a.office.db.write() as s:
        d = docs.create_incoming(s, a.office.blobs, docs.DocumentInput(doc_type="QD", subject="Quyết định gốc"),
                                 clerk, files=[docs.FileInput(src)])
        doc_id = d.id
    with Pkcs11KeySource(pki_world.module, pki.ORG_TOKEN).open(pin) as key:
        att = outgoing.make_copy(a.office, doc_id, CopyKind.SAO_Y, DocumentSigner(
            key, SignOptions(level=Level.B_B, trust=trust)), clerk)
    out = tmp_path / "sao-y.pdf"
    out.write_bytes(a.office.blobs.read_bytes(att.blob_sha256))
    report = verify_pdf(out, trust=trust, online=False)
    assert [s.intact for s in report.signatures] == [True]
    # The stamp is drawn at the top right of page 1: that corner gains ink.
    import subprocess

    from PIL import Image

    def corner_ink(pdf: Path, stem: str) -> int:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(tmp_path / stem)], check=True)
        img = Image.open(tmp_path / f"{stem}.png").convert("L")
        w, h = img.size
        corner = img.crop((int(w * 0.55), 0, w, int(h * 0.12)))
        return sum(1 for px in corner.tobytes() if px < 128)  # one byte a pixel: grey

    assert corner_ink(out, "sao-y") > corner_ink(src, "goc") + 50
