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
