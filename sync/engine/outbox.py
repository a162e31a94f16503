"""Sending the outbox."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from desk.clock import now
from desk.errors import DeskError
from desk.models import OutboxItem
from desk.outbox import read_payload
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
                to = read_payload(item).recipients
                if item.kind == "status":
                    build_status(s, item, path)
                else:
                    build_edoc(s, engine.office.blobs, item, path)
            server_id = engine.client.send_edoc(path, from_code=me, message_type=item.kind, to=to)
            # Recipients the server does not know: the rest got it; these are reported.
            unknown = [str(c) for c in getattr(engine.client, "last_unknown", ())]
            exchange.sent(engine.office, item_id, server_id, unknown)
            report.sent += 1
        except TransportError as exc:
            exchange.send_failed(engine.office, item_id, str(exc), backoff)
            report.send_failed += 1
            report.errors.append(str(exc))
            report.unreachable = True
            return  # the server is out of reach: the rest waits for the next round
        except DeskError as exc:
            exchange.send_failed(engine.office, item_id, str(exc), backoff)
            report.send_failed += 1
            report.errors.append(str(exc))
        finally:
            engine.clean_scratch(scratch)

