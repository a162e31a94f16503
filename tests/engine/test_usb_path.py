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
