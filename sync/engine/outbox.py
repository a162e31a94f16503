"""Sending the outbox."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from desk.clock import now
from desk.errors import DeskError
from desk.models import Document, OutboxItem, Recipient
from desk.services import exchange
from desk.services.people import self_org
from sync.engine.packages import build_edoc, build_status
from sync.errors import TransportError

if TYPE_CHECKING:
    from sync.engine import SyncEngine, SyncReport


def due_items(engine: SyncEngine) -> list[int]:
    t = now()
    with engine.office.db.read() as s:
        return list(s.scalars(
            select(OutboxItem.id).where(OutboxItem.sent_at.is_(None),
                                        or_(OutboxItem.next_attempt_at.is_(None),
                                            OutboxItem.next_attempt_at <= t))
            .order_by(OutboxItem.id)))


def send_due(engine: SyncEngine, report: SyncReport, cancel: threading.Event | None) -> None:
    from sync.engine import backoff

    db = engine.office.db
    for item_id in due_items(engine):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            return
        scratch = engine.scratch()
        try:
            with db.read() as s:
                item = s.get(OutboxItem, item_id)
                if item is None or item.sent_at is not None:
                    continue
                me = self_org(s).code
                path = scratch / "package.edxml"
                if item.kind == "status":
                    build_status(s, item, path)
                    to = [str(item.payload["to"])]
                else:
                    build_edoc(s, engine.office.blobs, item, path)
                    codes: Any = item.payload.get("to", [])
                    to = [str(c) for c in codes]
            server_id = engine.client.send_edoc(path, from_code=me, message_type=item.kind, to=to)
            # Recipients the server does not know: the rest got it; these are reported.
            unknown = [str(c) for c in getattr(engine.client, "last_unknown", ())]
            with db.write() as s:
                row = s.get(OutboxItem, item_id)
                assert row is not None
                at = now()
                row.sent_at, row.last_error = at, None
                row.payload = {**row.payload, "server_id": server_id,
                               **({"unknown": unknown} if unknown else {})}
                if row.kind == "edoc" and row.document_id is not None:
                    _mark_sent(s, row.document_id, [c for c in to if c not in unknown], at)
                    exchange.mark_undelivered(s, row.document_id, unknown)
            report.sent += 1
        except TransportError as exc:
            _failed(engine, item_id, str(exc), backoff)
            report.send_failed += 1
            report.errors.append(str(exc))
            report.unreachable = True
            return  # the server is out of reach: the rest waits for the next round
        except DeskError as exc:
            _failed(engine, item_id, str(exc), backoff)
            report.send_failed += 1
            report.errors.append(str(exc))
        finally:
            engine.clean_scratch(scratch)


def _failed(engine: SyncEngine, item_id: int, error: str, backoff) -> None:  # type: ignore[no-untyped-def]
    with engine.office.db.write() as s:
        row = s.get(OutboxItem, item_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error
        row.next_attempt_at = now() + backoff(row.attempts)


def _mark_sent(session, document_id: int, to: list[str], at) -> None:  # type: ignore[no-untyped-def]
    doc = session.get(Document, document_id)
    if doc is None:
        return
    for r in session.scalars(select(Recipient).where(Recipient.document_id == document_id,
                                                     Recipient.org_code.in_(to))):
        if r.status_code is None:
            r.status_at = at  # sent, nothing heard yet
