"""Receiving documents and statuses from the exchange server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.errors import DeskError, ValidationError
from desk.models import Document, InboxItem
from desk.reference import validate_org_id
from desk.services import exchange, intake
from desk.services.documents import FileInput, create_incoming, store_files
from sync.edxml import BusinessDocType, MessageHeader, Package, StatusCode, StatusHeader, parse_file
from sync.engine.packages import document_input
from sync.errors import EdxmlError, TransportError

if TYPE_CHECKING:
    from sync.engine import Progress, SyncEngine, SyncReport

log = logging.getLogger(__name__)


def receive_all(engine: SyncEngine, report: SyncReport, cancel: threading.Event | None,
                step: Progress) -> None:
    for message_type in ("edoc", "status"):
        try:
            items = engine.client.received(message_type)
        except TransportError as exc:
            report.errors.append(str(exc))
            report.unreachable = True
            return
        engine._pending_in = len(items)
        for n, item in enumerate(items):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                return
            step(f"Đang nhận {n + 1}/{len(items)}…", 0.5 + 0.5 * n / max(len(items), 1))
            try:
                receive_one(engine, item.doc_id, message_type, report)
            except TransportError as exc:
                report.errors.append(str(exc))
                report.unreachable = True
                return
            except DeskError as exc:
                report.errors.append(str(exc))
            engine._pending_in -= 1
        engine._pending_in = 0


def _inbox_state(engine: SyncEngine, server_id: str) -> str | None:
    with engine.office.db.read() as s:
        row = s.get(InboxItem, server_id)
        return row.state if row else None


def _ack(engine: SyncEngine, server_id: str) -> None:
    engine.client.acknowledge(server_id, "done")
    with engine.office.db.write() as s:
        row = s.get(InboxItem, server_id)
        if row is not None:
            row.state, row.acked_at = "acked", now()


def receive_one(engine: SyncEngine, server_id: str, message_type: str, report: SyncReport) -> None:
    if _inbox_state(engine, server_id) is not None:
        # Stored (or judged) before a crash or a lost acknowledgement: only acknowledge.
        _ack(engine, server_id)
        return
    scratch = engine.scratch()
    try:
        path = engine.client.download(server_id, scratch / "package.edxml")
        take(engine, server_id, path, message_type, report, scratch)
        _ack(engine, server_id)
    finally:
        engine.clean_scratch(scratch)


def take(engine: SyncEngine, server_id: str, path: Path, message_type: str, report: SyncReport,
         scratch: Path, accept: Callable[[Package], str | None] | None = None) -> None:
    """Parse one package file and take it in (documents, statuses), recorded under ``server_id``.

    ``accept`` may refuse a parsed package with a reason (the file import refuses packages
    not addressed to this office).
    """
    (scratch / "files").mkdir()
    try:
        pkg = parse_file(path, scratch / "files")
    except EdxmlError as exc:
        _reject(engine, server_id, message_type, None, str(exc))
        report.rejected += 1
        return
    refusal = accept(pkg) if accept is not None else None
    if refusal is not None:
        _reject(engine, server_id, pkg.kind, pkg.sender, refusal)
        report.rejected += 1
    elif isinstance(pkg.header, StatusHeader):
        _status(engine, server_id, pkg, report)
    else:
        _edoc(engine, server_id, pkg, report)


def _record(session: Session, server_id: str, message_type: str, sender: str | None,
            document_id: int | None, state: str, note: str | None = None) -> None:
    session.add(InboxItem(server_id=server_id, message_type=message_type, sender=sender,
                          document_id=document_id, state=state, note=note, received_at=now()))


def _reject(engine: SyncEngine, server_id: str, message_type: str, sender: str | None,
            reason: str) -> None:
    with engine.office.db.write() as s:
        _record(s, server_id, message_type, sender, None, "rejected", reason)
        audit.record(s, "exchange", "exchange.reject", "inbox", server_id, reason=reason)


def _verify_pdfs(engine: SyncEngine, files: list[tuple[str, Path]]) -> dict[str, Any]:
    """Authenticity and integrity of each PDF (Decree 30 Art. 21), with the office's trust
    settings: the verdicts and their reasons go into the history (desk.signatures)."""
    if not engine.verify_signatures:
        return {}
    from desk.signatures import check_files

    return check_files(files, engine.trust)


def _pdf_text(files: list[tuple[str, Path]]) -> str | None:
    from desk.pdftext import read_pdf

    texts = []
    for name, path in files:
        if name.lower().endswith(".pdf"):
            try:
                texts.append(read_pdf(path).text)
            except ValidationError:
                continue
    return "\n".join(texts) or None


def _find_incoming(session: Session, edxml_id: str, sender: str) -> Document | None:
    return exchange.find_incoming(session, edxml_id, sender)


def _edoc(engine: SyncEngine, server_id: str, pkg: Package, report: SyncReport) -> None:
    h = pkg.header
    assert isinstance(h, MessageHeader)
    sender = h.from_.organ_id
    business = pkg.trace.business
    kind = business.doc_type if business else BusinessDocType.NEW
    if kind == BusinessDocType.REVOKE:
        target = business.document_id if business and business.document_id else h.document_id
        _revoke_incoming(engine, server_id, sender, target, business.reason if business else "")
        report.statuses += 1
        return
    with engine.office.db.read() as s:
        if _find_incoming(s, h.document_id, sender) is not None and kind == BusinessDocType.NEW:
            duplicate = True
        else:
            duplicate = False
    if duplicate:
        with engine.office.db.write() as s:
            _record(s, server_id, "edoc", sender, None, "ignored", "duplicate DocumentId")
        report.duplicates += 1
        return
    try:
        data = document_input(pkg)
        data.recipients = [r for r in data.recipients if _valid_id(r.org_code)]
        data = data.validated()
    except ValidationError as exc:
        intake.refuse(engine.office, server_id, sender, h.document_id, str(exc))
        report.rejected += 1
        return
    files = [(a.name, a.path) for a in pkg.attachments if a.path is not None]
    verdicts = _verify_pdfs(engine, files)
    text = _pdf_text(files)
    stored = store_files(engine.office.blobs, [FileInput(p, filename=n, kind="main" if i == 0 else "attachment")
                                               for i, (n, p) in enumerate(files)])
    with engine.office.db.write() as s:
        if kind in (BusinessDocType.REPLACE, BusinessDocType.UPDATE) and business and business.document_id:
            old = _find_incoming(s, business.document_id, sender)
            if old is not None and workflow.can(old, "revoke"):
                workflow.apply(s, old, "revoke", None, note=business.reason or "Thay thế bằng văn bản mới",
                               data={"replaced_by": h.document_id})
        doc = create_incoming(s, engine.office.blobs, data, None, source="exchange", text=text,
                              stored=stored, event_data={"server_id": server_id, "signatures": verdicts})
        _record(s, server_id, "edoc", sender, doc.id, "stored")
    report.received += 1


def _valid_id(code: str | None) -> bool:
    if not code:
        return False
    try:
        validate_org_id(code)
        return True
    except ValidationError:
        return False


def _revoke_incoming(engine: SyncEngine, server_id: str, sender: str, target: str, reason: str) -> None:
    with engine.office.db.write() as s:
        done = exchange.revoke_request(s, sender=sender, target=target, reason=reason)
        _record(s, server_id, "edoc", sender, done.document_id if done.applied else None,
                "stored" if done.applied else "ignored", done.note)


def _status(engine: SyncEngine, server_id: str, pkg: Package, report: SyncReport) -> None:
    """Apply a status through the business rules (desk.services.exchange); record what it did."""
    h = pkg.header
    assert isinstance(h, StatusHeader)
    sender = h.from_.organ_id
    target = h.response_for.document_id
    with engine.office.db.write() as s:
        if h.status_code == StatusCode.REVOKE:
            done = exchange.revoke_request(s, sender=sender, target=target, reason=h.description)
            counted = True
        else:
            done = exchange.recipient_status(s, sender=sender, target=target,
                                             code=h.status_code.value,
                                             description=h.description, at=h.timestamp)
            counted = done.applied
        _record(s, server_id, "status", sender, done.document_id if done.applied else None,
                "stored" if done.applied else "ignored", done.note)
    if counted:
        report.statuses += 1
