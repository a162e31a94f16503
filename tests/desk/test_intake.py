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
