"""The one writer of outbox items: what the sync engine must send, typed.

Every status (01 … 16) and every package to send is queued through
:func:`queue_status` or :func:`queue_package`, inside the transaction of the
change that causes it, so the payload shapes the sync engine reads
(``sync.engine.packages``) are written in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from desk.clock import now
from desk.models import OutboxItem

#: edXML Bussiness types of a package: new, (1 unused here), update, replace.
NEW, UPDATE, REPLACE = 0, 2, 3
NOTE_LIMIT = 500  # characters of a status' note (edXML Description)


def queue_status(session: Session, code: str, *, to: str, edxml_document_id: str | None,
                 note: str = "", document_id: int | None = None, at: datetime | None = None) -> OutboxItem:
    """A status packet (QCVN 102 code) about ``edxml_document_id`` for the office ``to``."""
    item = OutboxItem(kind="status", document_id=document_id, status_code=code,
                      payload={"to": to, "edxml_document_id": edxml_document_id or "",
                               "note": (note or "")[:NOTE_LIMIT]},
                      created_at=at or now(), attempts=0)
    session.add(item)
    return item


def queue_package(session: Session, document_id: int, to: Sequence[str], *, business: int = NEW,
                  target: str = "", reason: str = "", at: datetime | None = None) -> OutboxItem:
    """The edXML package of a released document for the offices ``to``; with ``business``
    UPDATE or REPLACE it updates or replaces the released document ``target``."""
    payload: dict[str, object] = {"to": list(to), "business": business}
    if business != NEW:
        payload.update(target=target, reason=reason)
    item = OutboxItem(kind="edoc", document_id=document_id, payload=payload, created_at=at or now(),
                      attempts=0)
    session.add(item)
    return item
