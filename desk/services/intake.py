"""Business rules of exchange intake that must hold across crashes (the sync engine moves
packages; what they mean for the office is decided here, each in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.models import InboxItem
from desk.office import Office
from desk.outbox import NEW, REPLACE, UPDATE, queue_status
from desk.services import exchange
from desk.services.documents import DocumentInput, FileInput, create_incoming


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


# --- what a received package or status does (one call each, one transaction each) ---------------


@dataclass(frozen=True)
class Received:
    """What one received package did: its inbox ``state`` (stored, ignored, rejected), the
    document it made or changed, and how a sync report counts it."""

    state: str
    document_id: int | None = None
    note: str | None = None
    counts_as: str = ""  # "received", "status", "duplicate" or "" (counted nowhere)

    @property
    def documents(self) -> tuple[int, ...]:
        return (self.document_id,) if self.document_id is not None else ()


def _record(session: Session, server_id: str, message_type: str, sender: str | None,
            document_id: int | None, state: str, note: str | None = None) -> None:
    session.add(InboxItem(server_id=server_id, message_type=message_type, sender=sender,
                          document_id=document_id, state=state, note=note, received_at=now()))


def seen(office: Office, server_id: str) -> bool:
    """Whether the package was stored or judged already (before a crash or a lost acknowledgement)."""
    with office.db.read() as s:
        return s.get(InboxItem, server_id) is not None


def acknowledged(office: Office, server_id: str, *, source: str | None = None) -> None:
    """The package is acknowledged (to the server, or taken from a file): its row says so.
    A package set aside stays visible as such. ``source`` (a file name) is kept in the note."""
    with office.db.write() as s:
        row = s.get(InboxItem, server_id)
        if row is None:
            return
        row.acked_at = now()
        if row.state != SET_ASIDE:
            row.state = "acked"
        if source is not None:
            row.note = f"{row.note or ''} [{source}]".strip()[:2000]


def reject(office: Office, server_id: str, message_type: str, sender: str | None, reason: str) -> Received:
    """A package refused as it stands (not addressed to us, sent by ourselves): recorded, no 02."""
    with office.db.write() as s:
        _record(s, server_id, message_type, sender, None, "rejected", reason)
        audit.record(s, "exchange", "exchange.reject", "inbox", server_id, reason=reason)
    return Received("rejected", note=reason)


def _duplicate(session: Session, server_id: str, sender: str, edxml_document_id: str,
               business: int) -> Received | None:
    if business != NEW or exchange.find_incoming(session, edxml_document_id, sender) is None:
        return None
    _record(session, server_id, "edoc", sender, None, "ignored", "duplicate DocumentId")
    return Received("ignored", note="duplicate DocumentId", counts_as="duplicate")


def duplicate(office: Office, server_id: str, sender: str, edxml_document_id: str,
              business: int = NEW) -> Received | None:
    """A new document we already hold from ``sender`` (same DocumentId): recorded as ignored
    and returned; None when it is not one (asked before its files are read and stored)."""
    with office.db.write() as s:
        return _duplicate(s, server_id, sender, edxml_document_id, business)


def receive_document(office: Office, server_id: str, sender: str, document_id: str, data: DocumentInput,
                     *, stored: list[tuple[FileInput, str, int]], text: str | None,
                     event_data: dict[str, object], business: int = NEW, target: str = "",
                     reason: str = "") -> Received:
    """A received document (edXML DocumentId ``document_id``), in one transaction: a new incoming
    document (files already in the blob store); an update or replacement (``business``) first
    withdraws our copy of ``target`` from the same sender. A new document we already hold
    (received meanwhile) is ignored instead."""
    with office.db.write() as s:
        dup = _duplicate(s, server_id, sender, document_id, business)
        if dup is not None:
            return dup
        if business in (UPDATE, REPLACE) and target:
            old = exchange.find_incoming(s, target, sender)
            if old is not None and workflow.can(old, "revoke"):
                workflow.apply(s, old, "revoke", None, note=reason or "Thay thế bằng văn bản mới",
                               data={"replaced_by": document_id})
        doc = create_incoming(s, office.blobs, data, None, source="exchange", text=text, stored=stored,
                              event_data={"server_id": server_id, **event_data})
        _record(s, server_id, "edoc", sender, doc.id, "stored")
        return Received("stored", doc.id, counts_as="received")


def _applied(session: Session, server_id: str, message_type: str, sender: str,
             done: exchange.Outcome, counted: bool) -> Received:
    state = "stored" if done.applied else "ignored"
    document_id = done.document_id if done.applied else None
    _record(session, server_id, message_type, sender, document_id, state, done.note)
    return Received(state, document_id, done.note, "status" if counted else "")


def revoke_request(office: Office, server_id: str, sender: str, target: str, reason: str = "", *,
                   message_type: str = "edoc") -> Received:
    """A revocation (13, or a package of business type REVOKE) from ``sender`` of ``target``:
    the rules of desk.services.exchange.revoke_request, recorded; always counted as a status."""
    with office.db.write() as s:
        done = exchange.revoke_request(s, sender=sender, target=target, reason=reason)
        return _applied(s, server_id, message_type, sender, done, True)


def receive_status(office: Office, server_id: str, sender: str, target: str, code: str, *,
                   description: str = "", at: datetime | None = None) -> Received:
    """A status packet from ``sender`` about ``target``: a 13 asks us to withdraw our copy, any
    other code moves the per-recipient table of our outgoing document (desk.services.exchange)."""
    if code == "13":
        return revoke_request(office, server_id, sender, target, description, message_type="status")
    with office.db.write() as s:
        done = exchange.recipient_status(s, sender=sender, target=target, code=code,
                                         description=description, at=at)
        return _applied(s, server_id, "status", sender, done, done.applied)
