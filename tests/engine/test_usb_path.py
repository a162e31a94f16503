"""The USB-stick path: `desk outbox export DIR`, `desk edxml import DIR`, then the link comes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.cli.main import main
from desk.models import Document, DocumentEvent, OutboxItem
from sync.edxml import Organization, ResponseFor, StatusCode, StatusHeader, write_package_file
from sync.engine.files import export_outbox, import_packages

from .conftest import Site, doc, outgoing


def _incoming(site: Site) -> list[Document]:
    with site.office.db.read() as s:
        return list(s.scalars(select(Document).where(Document.direction == "in")))


def _status_events(site: Site, doc_id: int) -> int:
    with site.office.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(DocumentEvent).where(
            DocumentEvent.document_id == doc_id, DocumentEvent.action == "recipient_status")) or 0)


def _cli(site: Site, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setenv("DESK_HOME", str(site.office.paths.home))
    return main(["--home", str(site.office.paths.home), *args])


def test_by_usb_stick_then_the_link_comes_back_nothing_twice_nothing_lost(
        sites: dict[str, Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b = sites["a"], sites["b"]
    sent = outgoing(a, tmp_path, [b.code])
    stick = tmp_path / "usb-a"
    assert _cli(a, monkeypatch, "outbox", "export", str(stick)) == 0
    [package] = sorted(stick.iterdir())
    assert package.name.endswith("_edoc.edxml")

    # B takes it in from the stick: the document, and 01 queued for A.
    assert _cli(b, monkeypatch, "edxml", "import", str(stick)) == 0
    assert "1" in capsys.readouterr().out
    [got] = _incoming(b)
    assert got.edxml_document_id == doc(a, sent).edxml_document_id and got.state == "received"
    # The same stick again: nothing new.
    again = import_packages(b.office, [stick], verify_signatures=False)
    assert (again.received, again.duplicates) == (0, 1)

    # B's answer (01) goes back on a stick too.
    back = export_outbox(b.office, tmp_path / "usb-b")
    assert [p.name.endswith("_status-01.edxml") for p in back.files] == [True]
    r = import_packages(a.office, back.files, verify_signatures=False)
    assert (r.statuses, r.errors) == (1, [])
    assert {x.org_code: x.status_code for x in doc(a, sent).recipients} == {b.code: "01"}

    # The link comes back: both outboxes still go through the exchange, and the other
    # side recognises what already arrived.
    assert a.engine().run_once().sent == 1
    rb = b.engine().run_once()
    assert (rb.received, rb.duplicates, rb.sent) == (0, 1, 1)
    assert len(_incoming(b)) == 1
    ra = a.engine().run_once()
    assert ra.errors == []
    assert {x.org_code: x.status_code for x in doc(a, sent).recipients} == {b.code: "01"}
    assert _status_events(a, sent) == 1  # the 01 that came both ways is recorded once
    with a.office.db.read() as s, b.office.db.read() as t:
        assert s.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.sent_at.is_(None))) == 0
        assert t.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.sent_at.is_(None))) == 0


def test_import_refuses_what_is_not_for_this_office(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b, c = sites["a"], sites["b"], sites["c"]
    sent = outgoing(a, tmp_path, [b.code])
    files = export_outbox(a.office, tmp_path / "usb").files
    # C holds a package for B, A holds its own package: both refused, nothing stored.
    assert import_packages(c.office, files, verify_signatures=False).rejected == 1
    assert import_packages(a.office, files, verify_signatures=False).rejected == 1
    assert _incoming(c) == [] and _incoming(a) == []
    # A status from C about A's document, which was never sent to C: ignored (forgery).
    forged = tmp_path / "forged.edxml"
    write_package_file(forged, StatusHeader(
        response_for=ResponseFor(a.code, document_id=str(doc(a, sent).edxml_document_id)),
        from_=Organization(c.code), status_code=StatusCode.DONE, description="giả mạo"))
    r = import_packages(a.office, [forged], verify_signatures=False)
    assert r.statuses == 0
    assert {x.org_code: x.status_code for x in doc(a, sent).recipients} == {b.code: None}
    assert _status_events(a, sent) == 0


def test_desk_show_lists_recipients_with_status_time_description_and_undelivered(
        sites: dict[str, Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from desk import workflow
    from desk.reference import Role
    from desk.services import documents as docs
    from desk.services import release

    a, b = sites["a"], sites["b"]
    stale = "000.00.88.H49"  # registered nowhere
    sent = outgoing(a, tmp_path, [b.code])
    clerk = a.person(Role.CLERK)
    with a.office.db.write() as s:  # a second document, also to an agency the server does not know
        d = docs.create_outgoing(s, a.office.blobs, docs.DocumentInput(
            doc_type="CV", subject="Về việc lịch trực Tết", notation="UBND-VP"), clerk,
            files=[docs.FileInput(next(p for p in tmp_path.iterdir() if p.suffix == ".pdf"))])
        workflow.apply(s, d, "submit", clerk.id)
        workflow.apply(s, d, "sign", clerk.id)
        release.release(s, d, clerk, [(b.code, "UBND huyện Đầm Hà"), (stale, "UBND xã cũ")])
        second = d.id
    assert a.engine().run_once().sent == 2
    assert b.engine().run_once().received == 2
    with b.office.db.write() as s:
        for d in s.scalars(select(Document).where(Document.direction == "in")):
            workflow.apply(s, d, "register", None, note="Vào sổ số 7")
    b.engine().run_once()
    a.engine().run_once()

    from desk.i18n import set_language

    try:
        assert _cli(a, monkeypatch, "--lang", "en", "show", str(second)) == 0
    finally:
        set_language("vi")
    text = capsys.readouterr().out
    assert "Recipients:" in text and stale in text and "not registered" in text
    assert _cli(a, monkeypatch, "show", str(sent), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    [row] = shown["recipients"]
    assert (row["org_code"], row["status_code"], row["description"]) == (b.code, "03", "Vào sổ số 7")
    assert row["status_at"] and row["delivery_error"] is None
    assert _cli(a, monkeypatch, "show", str(second), "--json") == 0
    rows = {r["org_code"]: r for r in json.loads(capsys.readouterr().out)["recipients"]}
    assert rows[stale]["delivery_error"] == "recipient_unknown" and rows[stale]["status_code"] is None
    assert rows[b.code]["status_code"] == "03"
