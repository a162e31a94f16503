"""The outgoing flow from the terminal (issue 14): desk submit, return, approve, sign ID
(the leader, with a key), release ID (the clerk: number, seal, send), each one service
call; the released PDF carries both signatures, intact and trusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.cli.main import main
from desk.models import Document, OutboxItem, Person
from desk.reference import Role
from desk.services import documents as docs
from desk.services import outgoing
from desk.services.outgoing import current_main
from signing import TrustSettings, verify_pdf
from tests.engine.conftest import NAMES
from tests.support import pki


def _draft(site, pdf: Path, clerk: Person) -> int:  # type: ignore[no-untyped-def]
    with site.office.db.write() as s:
        d = docs.create_outgoing(s, site.office.blobs, docs.DocumentInput(
            doc_type="QD", subject="Quyết định phê duyệt kế hoạch chuyển đổi số năm 2026",
            notation="QĐ-UBND"), clerk)
        doc_id = d.id
    outgoing.prepare_pdf(site.office, doc_id, pdf.read_bytes(), clerk)
    return doc_id


def _state(site, doc_id: int) -> str:  # type: ignore[no-untyped-def]
    with site.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None
        return d.state


def test_outgoing_flow_from_the_cli(pki_world, exchange, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                    capsys: pytest.CaptureFixture[str]) -> None:
    a, b = exchange
    trust_dir = tmp_path / "trust"
    trust_dir.mkdir()
    shutil.copy(pki_world.pki.cert_path("root"), trust_dir / "root.pem")
    shutil.copy(pki_world.pki.cert_path("interm"), trust_dir / "interm.pem")
    monkeypatch.setenv("DESK_TRUST_DIR", str(trust_dir))
    monkeypatch.setenv("DESK_P12_PASSWORD", pki.P12_PASSWORD)
    clerk, leader = a.person(Role.CLERK), a.person(Role.LEADER)
    outgoing.set_signature_image(a.office, leader.id, pki_world.images["signature"], clerk)
    outgoing.set_seal_image(a.office, pki_world.images["seal"], clerk)
    pdf = pki.make_decree_pdf(tmp_path / "qd.pdf", title="CHỦ TỊCH", signer="Trần Văn Đức")
    doc_id, other = _draft(a, pdf, clerk), _draft(a, pdf, clerk)
    home = str(a.office.paths.home)

    def desk(user: str, *argv: str) -> int:
        return main(["--home", home, "--as", user, *argv])

    # A draft sent back by the leader goes to draft again, with the reason in its history.
    assert desk(clerk.username, "submit", str(other)) == 0
    assert desk(leader.username, "return", str(other), "--reason", "Bổ sung căn cứ pháp lý.") == 0
    assert _state(a, other) == "draft"
    assert desk(leader.username, "return", str(other), "--reason", "Lần nữa") == 2  # not from draft
    assert "Không thể thực hiện" in capsys.readouterr().err

    assert desk(clerk.username, "submit", str(doc_id), "--review") == 0
    assert _state(a, doc_id) == "in_review"
    assert desk(clerk.username, "approve", str(doc_id)) == 2  # a clerk is not a leader
    assert desk(leader.username, "approve", str(doc_id)) == 0
    assert _state(a, doc_id) == "awaiting_signature"
    assert desk(leader.username, "sign", str(doc_id), "--pkcs12", str(pki_world.pki.pkcs12("leader")),
                "--level", "b-b") == 0, capsys.readouterr().err
    assert _state(a, doc_id) == "awaiting_release"
    assert desk(clerk.username, "release", str(doc_id), "--pkcs12", str(pki_world.pki.pkcs12("org")),
                "--level", "b-b", "--to", f"{b.code}={NAMES['b']}") == 0, capsys.readouterr().err
    assert "số 01/" in capsys.readouterr().out

    with a.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None and d.state == "released" and d.number == "01"
        assert (d.signer_name, d.signer_position) == ("Trần Văn Đức", "Chủ tịch")
        main_pdf = a.office.blobs.read_bytes(current_main(d).blob_sha256)  # type: ignore[union-attr]
        queued = s.scalars(select(OutboxItem).where(OutboxItem.document_id == doc_id)).all()
        assert [(o.kind, o.payload["to"]) for o in queued] == [("edoc", [b.code])]
    trust = TrustSettings((pki_world.pki.cert("root"),), (pki_world.pki.cert("interm"),))
    report = verify_pdf(main_pdf, trust=trust, online=False)
    sigs = [s for s in report.signatures if s.kind == "signature"]
    assert [s.intact for s in sigs] == [True, True] and report.verdict == "valid", report.summary()
