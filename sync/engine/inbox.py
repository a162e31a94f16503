"""Receiving documents and statuses from the exchange server."""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.errors import DeskError, ValidationError
from desk.i18n import t
from desk.outbox import NEW, REVOKE
from desk.reference import validate_org_id
from desk.services import intake
from desk.services.documents import FileInput, store_files
from sync.edxml import MessageHeader, Package, StatusHeader, parse_file
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


def _ack(engine: SyncEngine, server_id: str) -> None:
    engine.client.acknowledge(server_id, "done")
    intake.acknowledged(engine.office, server_id)


def _count(report: SyncReport, done: intake.Received) -> None:
    if done.counts_as == "received":
        report.received += 1
    elif done.counts_as == "status":
        report.statuses += 1
    elif done.counts_as == "duplicate":
        report.duplicates += 1


def receive_one(engine: SyncEngine, server_id: str, message_type: str, report: SyncReport,
                sender: str | None = None) -> None:
    """Take one package. Whatever is wrong with it, it never blocks the ones behind it:
    a package that cannot be parsed, validated or stored is set aside with its reason
    (``quarantine``), the sender is told (status 02) and the queue moves on.

    ``sender`` is the agency the server authenticated as the package's sender.
    """
    if intake.seen(engine.office, server_id):
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
        intake.reject(engine.office, server_id, pkg.kind, pkg.sender, refusal)
        report.rejected += 1
    elif isinstance(pkg.header, StatusHeader):
        _status(engine, server_id, pkg, report)
    else:
        _edoc(engine, server_id, pkg, report)


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


def _edoc(engine: SyncEngine, server_id: str, pkg: Package, report: SyncReport) -> None:
    """Read, check and store a received document's files; desk.services.intake decides what the
    package means (new, duplicate, update, replacement, revocation) and records it."""
    h = pkg.header
    assert isinstance(h, MessageHeader)
    sender = h.from_.organ_id
    business = pkg.trace.business
    kind = int(business.doc_type) if business else NEW
    target, reason = (business.document_id or "", business.reason or "") if business else ("", "")
    if kind == REVOKE:
        _count(report, intake.revoke_request(engine.office, server_id, sender, target or h.document_id, reason))
        return
    duplicate = intake.duplicate(engine.office, server_id, sender, h.document_id, kind)
    if duplicate is not None:
        _count(report, duplicate)
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
    _count(report, intake.receive_document(
        engine.office, server_id, sender, h.document_id, data, stored=stored, text=text,
        event_data={"signatures": verdicts, "active_content": _active_content(files)},
        business=kind, target=target, reason=reason))


def _valid_id(code: str | None) -> bool:
    if not code:
        return False
    try:
        validate_org_id(code)
        return True
    except ValidationError:
        return False


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


def _status(engine: SyncEngine, server_id: str, pkg: Package, report: SyncReport) -> None:
    """A status packet: desk.services.intake applies it (business rules) and records what it did."""
    h = pkg.header
    assert isinstance(h, StatusHeader)
    _count(report, intake.receive_status(engine.office, server_id, h.from_.organ_id,
                                         h.response_for.document_id, h.status_code.value,
                                         description=h.description, at=h.timestamp))
