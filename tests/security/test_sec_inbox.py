"""Issue 11, item 2: one package never blocks an inbox; it is set aside with its reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import hostile
from sqlalchemy import select

from desk.models import Document, InboxItem, OutboxItem
from desk.office import Office
from desk.services import people
from sync.client import ReceivedItem
from sync.engine import SyncEngine
from sync.errors import ServerRefused
from tests.engine.conftest import Site
from tests.support.windows import assert_private

A, B = "000.00.21.H49", "000.00.22.H49"


@dataclass
class Mailbox:
    """An exchange server of another vendor that delivers whatever it is given, unchecked.

    Stands in for a server we cannot run here; Desk's own server refuses some of these
    packages itself (tested below), so the client must hold on its own.
    """

    items: list[tuple[str, str, bytes]] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)
    sent: list[bytes] = field(default_factory=list)
    system_id: str = B

    def received(self, message_type: str = "edoc") -> list[ReceivedItem]:
        return [ReceivedItem(i, frm, B, "edoc", "initial", "", len(d), hashlib.sha256(d).hexdigest())
                for i, frm, d in self.items if i not in self.acked and message_type == "edoc"]

    def download(self, doc_id: str, dest: Path) -> Path:
        dest.write_bytes(next(d for i, _f, d in self.items if i == doc_id))
        return dest

    def acknowledge(self, doc_id: str, status: str = "done") -> None:
        self.acked.add(doc_id)

    def send_edoc(self, path: Path, **k: object) -> str:
        self.sent.append(path.read_bytes())
        return f"out-{len(self.sent)}"


def _office(tmp_path: Path) -> Office:
    o = Office.open(tmp_path / "office-b")
    with o.db.write() as s:
        people.init_office(s, B, "Ủy ban nhân dân huyện Đầm Hà", place="Quảng Ninh", notation="UBND")
        people.add_person(s, "vanthu.b", "Nguyễn Thị Lan", ["van_thu"])
    return o


def test_hostile_packages_are_set_aside_and_the_queue_moves_on(tmp_path: Path) -> None:
    pk = tmp_path / "pk"
    good1 = hostile.edoc(pk, A, B, 1).read_bytes()
    overflow = hostile.page_amount_overflow(pk, A, B, 2).read_bytes()
    deep = hostile.edoc(pk, A, B, 3, pdf=hostile.deep_page_tree_pdf()).read_bytes()
    garbage = b"<edXML"  # not XML at all
    good2 = hostile.edoc(pk, A, B, 4).read_bytes()
    box = Mailbox([("s1", A, good1), ("s2", A, overflow), ("s3", A, deep), ("s4", A, garbage),
                   ("s5", A, good2)])
    office = _office(tmp_path)
    try:
        engine = SyncEngine(office, box)  # type: ignore[arg-type]
        r = engine.run_once()
        # Every package is judged and acknowledged: nothing stays to block the next round.
        assert box.acked == {"s1", "s2", "s3", "s4", "s5"}
        with office.db.read() as s:
            subjects = sorted(d.subject for d in s.scalars(select(Document)))
            states = {i.server_id: i.state for i in s.scalars(select(InboxItem))}
            refusals = [(o.status_code, o.payload["to"], o.payload["edxml_document_id"])
                        for o in s.scalars(select(OutboxItem))]
        # The deep page tree costs the PDF its text only; the document itself arrives.
        assert subjects == ["Về việc thử nghiệm số 1", "Về việc thử nghiệm số 3", "Về việc thử nghiệm số 4"]
        assert r.received == 3
        assert states["s2"] == states["s4"] == "quarantine"
        assert {q[0] for q in r.quarantined} == {"s2", "s4"}
        assert "PageAmount" in dict((q[0], q[2]) for q in r.quarantined)["s2"]
        assert ("02", A, f"{A},2026/11/25,2/UBND") in refusals and ("02", A, "") in refusals
        held = engine.quarantined()
        assert {q.server_id for q in held} == {"s2", "s4"}
        for q in held:
            assert q.kept is not None
            assert_private(q.kept)
        assert engine.status().quarantined == 2
        # The next round has nothing left to fail on.
        assert engine.run_once().errors == []
    finally:
        office.close()


def test_desk_server_refuses_the_overflow_itself(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b = sites["a"], sites["b"]
    bad = hostile.page_amount_overflow(tmp_path, a.code, b.code, 7)
    try:
        a.engine().client.send_edoc(bad, to=[b.code])
    except ServerRefused as exc:
        assert "PageAmount" in str(exc)
    else:
        raise AssertionError("the server accepted a PageAmount of 23 digits")


def test_watch_survives_a_round_that_raises(tmp_path: Path) -> None:
    class Broken(Mailbox):
        def received(self, message_type: str = "edoc") -> list[ReceivedItem]:
            raise RuntimeError("boom")

    office = _office(tmp_path)
    try:
        r = SyncEngine(office, Broken()).run_once()  # type: ignore[arg-type]
        assert r.errors and "boom" in r.errors[0]
    finally:
        office.close()
