"""Exchange intake rules that must survive crashes (issue 14): a refused package and its
status 02 to the sender are written together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk import outbox
from desk.models import InboxItem, OutboxItem
from desk.office import Office
from desk.services import intake

SENDER, DOC_ID = "000.00.01.H49", "000.00.01.H49,2026/11/25,7/UBND"


def _rows(office: Office) -> tuple[list[InboxItem], list[OutboxItem]]:
    with office.db.read() as s:
        return list(s.scalars(select(InboxItem))), list(s.scalars(select(OutboxItem)))


def test_refusal_records_and_queues_02_together(office: Office) -> None:
    intake.refuse(office, "srv-1", SENDER, DOC_ID, "Thiếu trích yếu. " * 60)
    inbox, queued = _rows(office)
    assert [(i.server_id, i.state, i.sender) for i in inbox] == [("srv-1", "rejected", SENDER)]
    assert [(o.kind, o.status_code, o.payload["to"], o.payload["edxml_document_id"]) for o in queued] == [
        ("status", "02", SENDER, DOC_ID)]
    assert len(str(queued[0].payload["note"])) == outbox.NOTE_LIMIT


def test_a_failure_before_the_commit_leaves_neither(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(intake, "queue_status", broken)
    with pytest.raises(OSError):
        intake.refuse(office, "srv-2", SENDER, DOC_ID, "Sai mã định danh.")
    assert _rows(office) == ([], [])


def _received(office: Office, server_id: str, business: int = outbox.NEW, target: str = "",
              document_id: str = DOC_ID) -> intake.Received:
    from desk.services.documents import DocumentInput

    data = DocumentInput(doc_type="CV", subject="Về việc kiểm tra", number="7", notation="UBND",
                         issuer_code=SENDER, issuer_name="UBND xã A", edxml_document_id=document_id)
    return intake.receive_document(office, server_id, SENDER, document_id, data, stored=[], text=None,
                                   event_data={}, business=business, target=target, reason="Sai số")


def test_one_call_per_received_document_says_what_it_did(office: Office) -> None:
    from desk.models import Document

    first = _received(office, "srv-a")
    assert (first.state, first.counts_as) == ("stored", "received") and first.documents
    # The same DocumentId from the same sender again (arrived meanwhile by another path): ignored.
    again = _received(office, "srv-b")
    assert (again.state, again.counts_as, again.documents) == ("ignored", "duplicate", ())
    assert intake.duplicate(office, "srv-c", SENDER, DOC_ID) is not None
    # A replacement withdraws our copy of the target, then stores the new one.
    new_id = DOC_ID.replace("7/UBND", "8/UBND")
    replaced = _received(office, "srv-d", outbox.REPLACE, DOC_ID, new_id)
    assert replaced.counts_as == "received"
    with office.db.read() as s:
        states = {d.edxml_document_id: d.state for d in s.scalars(select(Document))}
        inbox = {i.server_id: i.state for i in s.scalars(select(InboxItem))}
    assert states == {DOC_ID: "revoked", new_id: "received"}
    assert inbox == {"srv-a": "stored", "srv-b": "ignored", "srv-c": "ignored", "srv-d": "stored"}
    assert intake.seen(office, "srv-b") and not intake.seen(office, "srv-z")
    intake.acknowledged(office, "srv-a", source="stick.edxml")
    with office.db.read() as s:
        row = s.get(InboxItem, "srv-a")
        assert row is not None and (row.state, row.note) == ("acked", "[stick.edxml]")


def test_a_status_for_a_document_we_do_not_hold_changes_nothing(office: Office) -> None:
    done = intake.receive_status(office, "st-1", SENDER, "unknown-doc", "03")
    assert (done.state, done.counts_as, done.documents) == ("ignored", "", ())
    revoke = intake.receive_status(office, "st-2", SENDER, "unknown-doc", "13", description="Thu hồi")
    assert (revoke.state, revoke.counts_as) == ("ignored", "status")  # answered 16, counted
    _inbox, queued = _rows(office)
    assert [(o.status_code, o.payload["to"]) for o in queued] == [("16", SENDER)]
