"""Business rules of exchange intake that must hold across crashes (the sync engine moves
packages; what they mean for the office is decided here, each in one transaction)."""

from __future__ import annotations

from desk import audit
from desk.clock import now
from desk.models import InboxItem
from desk.office import Office
from desk.outbox import queue_status


def refuse(office: Office, server_id: str, sender: str, edxml_document_id: str, reason: str) -> None:
    """A package we cannot take: recorded as rejected and status 02 (từ chối) queued for the
    sender in ONE transaction, so a crash can never keep the one without the other."""
    with office.db.write() as s:
        s.add(InboxItem(server_id=server_id, message_type="edoc", sender=sender, document_id=None,
                        state="rejected", note=reason, received_at=now()))
        audit.record(s, "exchange", "exchange.reject", "inbox", server_id, reason=reason)
        queue_status(s, "02", to=sender, edxml_document_id=edxml_document_id, note=reason)


#: Inbox state of a package set aside for the clerk (sync.engine.QUARANTINED is this value).
SET_ASIDE = "quarantine"


def set_aside(office: Office, server_id: str, message_type: str, sender: str | None, reason: str, *,
              error: str, kept: str | None, refuse_document_id: str | None) -> None:
    """A package that could not be parsed, validated or stored: recorded with its reason, and,
    for a document (``refuse_document_id`` not None), status 02 queued for the sender, in ONE
    transaction. A status packet gets no 02 (a refusal of a refusal helps nobody)."""
    with office.db.write() as s:
        s.add(InboxItem(server_id=server_id, message_type=message_type, sender=sender, document_id=None,
                        state=SET_ASIDE, note=reason[:2000], received_at=now()))
        audit.record(s, "exchange", "exchange.quarantine", "inbox", server_id, reason=reason[:500],
                     error=error, kept=kept)
        if refuse_document_id is not None and sender:
            queue_status(s, "02", to=sender, edxml_document_id=refuse_document_id, note=reason)
