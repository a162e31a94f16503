"""Receiving documents and statuses from the exchange server."""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.errors import DeskError, ValidationError
from desk.i18n import t
from desk.models import Document, InboxItem
from desk.reference import validate_org_id
from desk.services import exchange, intake
from desk.services.documents import FileInput, create_incoming, store_files
from sync.edxml import BusinessDocType, MessageHeader, Package, StatusCode, StatusHeader, parse_file
from sync.engine import QUARANTINED
from sync.engine.packages import document_input
from sync.errors import TransportError

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
                receive_one(engine, item.doc_id, message_type, report, sender=item.from_code or None)
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
            row.acked_at = now()
            if row.state != QUARANTINED:  # a package set aside stays visible as such
                row.state = "acked"


def receive_one(engine: SyncEngine, server_id: str, message_type: str, report: SyncReport,
                sender: str | None = None) -> None:
    """Take one package. Whatever is wrong with it, it never blocks the ones behind it:
    a package that cannot be parsed, validated or stored is set aside with its reason
    (``quarantine``), the sender is told (status 02) and the queue moves on.

    ``sender`` is the agency the server authenticated as the package's sender.
    """
    if _inbox_state(engine, server_id) is not None:
        # Stored (or judged) before a crash or a lost acknowledgement: only acknowledge.
        _ack(engine, server_id)
        return
    scratch = engine.scratch()
    try:
        path = engine.client.download(server_id, scratch / "package.edxml")
        take(engine, server_id, path, message_type, report, scratch, sender=sender)
        _ack(engine, server_id)
    finally:
        engine.clean_scratch(scratch)


def take(engine: SyncEngine, server_id: str, path: Path, message_type: str, report: SyncReport,
         scratch: Path, accept: Callable[[Package], str | None] | None = None,
         sender: str | None = None) -> None:
    """Parse one package file and take it in (documents, statuses), recorded under ``server_id``.

    Whatever cannot be parsed, validated or stored is set aside with its reason (quarantine),
    so the packages behind it still arrive. ``accept`` may refuse a parsed package with a
    reason (the file import refuses packages not addressed to this office).
    """
    (scratch / "files").mkdir()
    parsed: list[Package] = []
    try:
        _take(engine, server_id, message_type, path, scratch / "files", report, parsed, accept)
    except TransportError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input of any kind is set aside
        if not isinstance(exc, DeskError):
            log.warning("package %s set aside", server_id, exc_info=True)
        pkg = parsed[0] if parsed else None
        who = sender or (pkg.sender if pkg else None)
        quarantine(engine, server_id, message_type, who, path, exc, pkg)
        report.rejected += 1
        report.quarantined.append((server_id, who or "", reason_of(exc)))


def _take(engine: SyncEngine, server_id: str, message_type: str, path: Path, files: Path,
          report: SyncReport, parsed: list[Package],
          accept: Callable[[Package], str | None] | None) -> None:
    pkg = parse_file(path, files)
    parsed.append(pkg)
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


def _verify_pdfs(engine: SyncEngine, files: list[tuple[str, Path]]) -> dict[str, Any]:
    """Authenticity and integrity of each PDF (Decree 30 Art. 21), with the office's trust
    settings: the verdicts and their reasons go into the history (desk.signatures)."""
    if not engine.verify_signatures:
        return {}
    from desk.signatures import check_files

    return check_files(files, engine.trust)


def _active_content(files: list[tuple[str, Path]]) -> dict[str, Any]:
    """PDFs carrying JavaScript, launch actions, embedded files or a bomb: flagged in the history."""
    from signing.pdfsafety import scan_pdf

    out: dict[str, Any] = {}
    for name, path in files:
        if name.lower().endswith(".pdf"):
            risks = scan_pdf(path)
            if risks.risky:
                out[name] = {"summary": "; ".join(risks.describe("vi")), **risks.as_dict()}
    return out


def _pdf_text(files: list[tuple[str, Path]]) -> str | None:
    from desk.pdftext import read_pdf

    texts = []
    for name, path in files:
        if name.lower().endswith(".pdf"):
            try:
                texts.append(read_pdf(path).text)
            except ValidationError:
                continue
            except Exception:  # noqa: BLE001 - a hostile PDF (pypdf limits) loses only its text
                log.warning("text of %s not read", name, exc_info=True)
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
    # A ValidationError here sets the package aside (receive_one), with a 02 to the sender.
    data = document_input(pkg)
    data.recipients = [r for r in data.recipients if _valid_id(r.org_code)]
    data = data.validated()
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
                              stored=stored, event_data={"server_id": server_id, "signatures": verdicts,
                                          "active_content": _active_content(files)})
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


def _reject(engine: SyncEngine, server_id: str, message_type: str, sender: str | None,
            reason: str) -> None:
    with engine.office.db.write() as s:
        _record(s, server_id, message_type, sender, None, "rejected", reason)
        audit.record(s, "exchange", "exchange.reject", "inbox", server_id, reason=reason)


# --- quarantine ---------------------------------------------------------------------------



def reason_of(exc: BaseException) -> str:
    if isinstance(exc, DeskError):
        return str(exc)
    return t(f"Gói tin không xử lý được ({type(exc).__name__}: {str(exc)[:300]}).",
             f"The package could not be processed ({type(exc).__name__}: {str(exc)[:300]}).")


def quarantine_folder(engine: SyncEngine) -> Path:
    return engine.work / "quarantine"


def quarantine_path(engine: SyncEngine, server_id: str) -> Path:
    name = hashlib.sha256(server_id.encode("utf-8")).hexdigest()[:32]
    return quarantine_folder(engine) / f"{name}.edxml"


def quarantine(engine: SyncEngine, server_id: str, message_type: str, sender: str | None,
               package: Path, exc: BaseException, pkg: Package | None = None) -> None:
    """Set a package aside: keep its bytes for the clerk, record why, and tell the sender (02).

    The record, the audit entry and the 02 are one transaction. A status packet gets no 02
    (a refusal of a refusal helps nobody).
    """
    reason = reason_of(exc)
    folder = quarantine_folder(engine)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = quarantine_path(engine, server_id)
    try:
        shutil.copyfile(package, kept)
        kept.chmod(0o600)
    except OSError:
        kept = None  # type: ignore[assignment]
    code = getattr(exc, "code", type(exc).__name__)
    refuse: str | None = None
    if message_type == "edoc" and sender and _valid_id(sender):
        refuse = (pkg.header.document_id if pkg and isinstance(pkg.header, MessageHeader)
                  else str(getattr(exc, "document_id", "")))[:200]
    intake.set_aside(engine.office, server_id, message_type, _sender_code(sender), reason,
                     error=str(code), kept=str(kept) if kept else None, refuse_document_id=refuse)


def _sender_code(sender: str | None) -> str | None:
    return sender[:35] if sender else None


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
