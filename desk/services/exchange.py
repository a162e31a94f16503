"""What statuses from other offices do to our documents (the business rules of QCVN 102 statuses).

The sync engine and the file import (``desk edxml import``) only move packages; they
call these functions, inside their own transaction, to apply what a package says.

Rules:
- A status about one of our outgoing documents (01–06, 02, 15, 16) counts only when it
  comes from an agency the document was sent to (issue 11: status forgery). Anything
  else is recorded as ignored and audited; it changes nothing.
- Statuses can arrive out of order and more than once (the same package by USB stick
  and later through the exchange): the per-recipient table keeps the furthest status
  along, and a status already applied (same code, same time) is not recorded again.
- A revocation (13) counts only from the issuer of the incoming document. We agree
  (15, through the workflow) and withdraw it; a 13 for a document we do not hold is
  answered 16 (also when it was withdrawn by hand). A repeated 13 for a document
  already withdrawn at that sender's request changes nothing and is not answered again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.models import Document, OutboxItem, Recipient
from desk.office import Office
from desk.outbox import queue_status, read_payload, record_delivery

# The order in which a recipient's statuses move on; a later one never goes back.
STATUS_ORDER = ("01", "03", "04", "05", "06", "02", "13", "15", "16")

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "01": ("Đã đến", "Arrived"),
    "02": ("Từ chối tiếp nhận", "Refused"),
    "03": ("Đã tiếp nhận", "Accepted"),
    "04": ("Phân công", "Assigned"),
    "05": ("Đang xử lý", "In progress"),
    "06": ("Hoàn thành", "Done"),
    "13": ("Thu hồi", "Revoked"),
    "15": ("Đồng ý thu hồi/cập nhật", "Agreed to revoke/update"),
    "16": ("Từ chối thu hồi/cập nhật", "Refused to revoke/update"),
}

# Recipient.delivery_error values.
RECIPIENT_UNKNOWN = "recipient_unknown"
DELIVERY_ERRORS: dict[str, tuple[str, str]] = {
    RECIPIENT_UNKNOWN: ("Trục liên thông không biết đơn vị này (chưa đăng ký), chưa chuyển được",
                        "The exchange does not know this agency (not registered); not delivered"),
}


def status_label(code: str | None) -> str:
    from desk.i18n import t

    if not code:
        return ""
    vi, en = STATUS_LABELS.get(code, (code, code))
    return t(vi, en)


def delivery_error_label(error: str | None) -> str:
    from desk.i18n import t

    if not error:
        return ""
    vi, en = DELIVERY_ERRORS.get(error, (error, error))
    return t(vi, en)


def rank(code: str | None) -> int:
    return STATUS_ORDER.index(code) if code in STATUS_ORDER else -1


@dataclass(frozen=True)
class Outcome:
    """What a received status did: ``applied`` False means it changed nothing."""

    applied: bool
    document_id: int | None
    note: str


def recipient_status(session: Session, *, sender: str, target: str, code: str,
                     description: str = "", at: datetime | None = None) -> Outcome:
    """A status (01–06, 02, 15, 16) from ``sender`` about our outgoing document ``target``."""
    out = session.scalars(select(Document).where(Document.direction == "out",
                                                 Document.edxml_document_id == target)).first()
    if out is None:
        return Outcome(False, None, f"{code} for unknown {target}")
    rows = list(session.scalars(select(Recipient).where(Recipient.document_id == out.id,
                                                        Recipient.org_code == sender)))
    if not rows:
        # Only agencies the document was sent to may report on it.
        audit.record(session, "exchange", "exchange.status_forged", "document", out.id,
                     sender=sender, code=code)
        return Outcome(False, out.id, f"{code} from {sender}, not a recipient of {target}")
    when = (at or now()).replace(microsecond=0)
    if all(r.status_code == code and r.status_at == when for r in rows):
        return Outcome(False, out.id, f"{code} already applied")
    for r in rows:
        if r.status_code is None or rank(code) >= rank(r.status_code):
            r.status_code, r.status_at = code, when
            r.status_desc = description[:2000] or None
            r.delivery_error = None
    workflow.apply(session, out, "recipient_status", None, note=description or None,
                   data={"from": sender, "code": code})
    return Outcome(True, out.id, code)


def find_incoming(session: Session, edxml_id: str, sender: str,
                  *, revoked: bool = False) -> Document | None:
    q = select(Document).where(Document.direction == "in", Document.edxml_document_id == edxml_id,
                               Document.issuer_code == sender)
    q = q.where(Document.state == "revoked") if revoked else q.where(Document.state != "revoked")
    return session.scalars(q).first()


def revoke_request(session: Session, *, sender: str, target: str, reason: str = "") -> Outcome:
    """13 from ``sender``: withdraw our incoming copy of ``target`` (and say 15), or say 16."""
    doc = find_incoming(session, target, sender)
    if doc is not None and workflow.can(doc, "revoke"):
        workflow.apply(session, doc, "revoke", None, note=reason or "Nơi gửi thu hồi văn bản",
                       data={"requested_by": sender})
        return Outcome(True, doc.id, "revoke")
    gone = find_incoming(session, target, sender, revoked=True)
    if gone is not None and any(e.action == "revoke" and (e.data or {}).get("requested_by") == sender
                                for e in gone.events):
        # The same 13 again (by USB stick, then through the exchange): already answered 15.
        return Outcome(False, gone.id, f"13 for {target} already applied")
    # 16: we cannot withdraw what we do not hold (never received, or already withdrawn).
    queue_status(session, "16", to=sender, edxml_document_id=target,
                 note="Không có văn bản này để thu hồi (chưa nhận được hoặc đã thu hồi).")
    return Outcome(False, None, f"revoke of unknown {target}")


def mark_undelivered(session: Session, document_id: int, codes: Iterable[str],
                     error: str = RECIPIENT_UNKNOWN) -> None:
    """The exchange did not deliver to ``codes``: say so in the per-recipient table."""
    wanted = set(codes)
    if not wanted:
        return
    for r in session.scalars(select(Recipient).where(Recipient.document_id == document_id,
                                                     Recipient.org_code.in_(wanted))):
        r.delivery_error = error
    audit.record(session, "exchange", "exchange.undelivered", "document", document_id,
                 recipients=sorted(wanted), error=error)


def recipient_rows(doc: Document) -> list[dict[str, object]]:
    """The per-recipient table of a document (for ``desk show`` and the app)."""
    return [{
        "org_code": r.org_code, "name": r.name, "channel": r.channel,
        "status_code": r.status_code, "status": status_label(r.status_code),
        "status_at": r.status_at, "description": r.status_desc or "",
        "delivery_error": r.delivery_error, "delivery": delivery_error_label(r.delivery_error),
    } for r in doc.recipients]


# --- what sending an outbox item did ---------------------------------------------------------------


def sent(office: Office, item_id: int, server_id: str, unknown: Sequence[str] = ()) -> None:
    """The exchange took outbox item ``item_id`` (as ``server_id``), in one transaction: the item
    is done, and for a document, the recipients it went to are marked sent (nothing heard yet)
    and those the exchange does not know are marked undelivered."""
    with office.db.write() as s:
        row = s.get(OutboxItem, item_id)
        if row is None:
            return
        to = read_payload(row).recipients
        at = now()
        row.sent_at, row.last_error = at, None
        record_delivery(row, server_id, unknown)
        if row.kind == "edoc" and row.document_id is not None:
            gone = [c for c in to if c not in set(unknown)]
            for r in s.scalars(select(Recipient).where(Recipient.document_id == row.document_id,
                                                       Recipient.org_code.in_(gone))):
                if r.status_code is None:
                    r.status_at = at  # sent, nothing heard yet
            mark_undelivered(s, row.document_id, unknown)


def send_failed(office: Office, item_id: int, error: str, retry_in: Callable[[int], timedelta]) -> None:
    """Sending outbox item ``item_id`` failed: counted, and retried after ``retry_in(attempts)``."""
    with office.db.write() as s:
        row = s.get(OutboxItem, item_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error
        row.next_attempt_at = now() + retry_in(row.attempts)
