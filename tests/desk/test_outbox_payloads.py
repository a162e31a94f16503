"""Outbox payloads are written and read through one typed module (issue 14): what the writer
queues reads back as the same typed value, and a damaged row is a clear error for that item
alone (the others are still exported and sent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desk import outbox
from desk.errors import StorageError
from desk.models import OutboxItem
from desk.office import Office
from desk.outbox import Delivery, PackagePayload, StatusPayload, read_payload

from .conftest import Staff
from .helpers import new_incoming

B, C = "000.00.02.H49", "000.00.03.H49"


def _queued(office: Office) -> list[OutboxItem]:
    with office.db.read() as s:
        return list(s.scalars(select(OutboxItem).order_by(OutboxItem.id)))


def test_what_is_queued_reads_back_typed(office: Office, staff: Staff) -> None:
    doc = new_incoming(office, staff.clerk)  # any document: the rows only refer to it
    with office.db.write() as s:
        outbox.queue_status(s, "03", to=B, edxml_document_id=None, note="x" * 900)
        outbox.queue_package(s, doc, [B, C])
        outbox.queue_package(s, doc, [B], business=outbox.REPLACE, target="old-id", reason="Sai số")
    status, new, replacement = _queued(office)
    assert read_payload(status) == StatusPayload(B, "", "x" * outbox.NOTE_LIMIT)
    assert status.payload == {"to": B, "edxml_document_id": "", "note": "x" * outbox.NOTE_LIMIT}
    assert read_payload(new) == PackagePayload((B, C))
    assert new.payload == {"to": [B, C], "business": 0}
    assert read_payload(replacement) == PackagePayload((B,), outbox.REPLACE, "old-id", "Sai số")
    assert read_payload(replacement).recipients == [B]


def test_the_delivery_is_kept_with_the_rest(office: Office, staff: Staff) -> None:
    doc = new_incoming(office, staff.clerk)
    with office.db.write() as s:
        item = outbox.queue_package(s, doc, [B, C])
        outbox.record_delivery(item, "srv-9", [C])
    (row,) = _queued(office)
    assert row.payload == {"to": [B, C], "business": 0, "server_id": "srv-9", "unknown": [C]}
    assert read_payload(row) == PackagePayload((B, C), delivery=Delivery("srv-9", (C,)))


@pytest.mark.parametrize(("kind", "payload", "what"), [
    ("status", ["not", "an", "object"], "not a JSON object"),
    ("status", {"edxml_document_id": "x"}, "'to' is not text"),
    ("status", {"to": 42}, "'to' is not text"),
    ("status", {"to": ""}, "without its recipient"),
    ("status", {"to": B, "note": {"x": 1}}, "'note' is not text"),
    ("edoc", {"to": B}, "not a list of office codes"),
    ("edoc", {"to": [B, 5]}, "not a list of office codes"),
    ("edoc", {"to": [B], "business": "2"}, "unknown business type"),
    ("edoc", {"to": [B], "business": True}, "unknown business type"),
    ("edoc", {"to": [B], "business": 9}, "unknown business type"),
    ("edoc", {"to": [B], "business": outbox.UPDATE}, "without the document it changes"),
    ("edoc", {"to": [B], "server_id": 12}, "'server_id' is not text"),
    ("fax", {"to": B}, "unknown kind"),
])
def test_a_damaged_payload_is_a_clear_error(kind: str, payload: object, what: str) -> None:
    with pytest.raises(StorageError) as err:
        read_payload(OutboxItem(id=1, kind=kind, payload=payload))
    assert err.value.code == "bad_outbox_payload"
    assert what in err.value.en


def test_a_damaged_item_does_not_stop_the_export(office: Office, staff: Staff, tmp_path: Path) -> None:
    from sync.engine.files import export_outbox

    with office.db.write() as s:
        outbox.queue_status(s, "03", to=B, edxml_document_id="doc-1")
        damaged = outbox.queue_status(s, "05", to=B, edxml_document_id="doc-2")
        s.flush()
        damaged.payload = {"to": 7}
        outbox.queue_status(s, "06", to=B, edxml_document_id="doc-3")
    r = export_outbox(office, tmp_path / "usb")
    assert len(r.files) == 2 and [p.name.split("-")[-1] for p in r.files] == ["03.edxml", "06.edxml"]
    assert len(r.errors) == 1 and "'to' is not text" in r.errors[0]
