"""The USB-stick and folder path, for places without a link.

``export_outbox`` writes every package waiting in the outbox (documents and statuses)
as an edXML file, built exactly as the sync engine would send it (a package is built
from its outbox row alone, so the file and the later upload are the same bytes). The
rows stay in the outbox: when the link comes back they still go through the exchange,
and the other side recognises what already arrived.

``import_packages`` takes package files in as if they had been received: documents
become incoming documents (and status 01 is queued for their sender), statuses update
the per-recipient table of our outgoing documents, revocations withdraw. Nothing is
taken twice:
- the same file again is recognised by its SHA-256 (inbox key ``file:<sha256>``);
- a document that later also arrives through the exchange is recognised by its
  DocumentId and sender and is only acknowledged (sync's duplicate rule);
- a status that arrives both ways is applied once (same code and time: see
  desk.services.exchange).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from desk import audit
from desk.blobs import sha256_file
from desk.errors import DeskError, ValidationError
from desk.models import OutboxItem
from desk.office import Office
from desk.services import intake
from desk.services.people import self_org
from sync.edxml import Package, StatusHeader
from sync.engine import SyncEngine, SyncReport
from sync.engine.packages import build_edoc, build_status

SUFFIX = ".edxml"


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _file_name(me: str, item: OutboxItem) -> str:
    code = f"-{item.status_code}" if item.status_code else ""
    return f"{me}_{item.id:06d}_{item.kind}{code}{SUFFIX}"


def export_outbox(office: Office, folder: Path) -> ExportResult:
    """Write every waiting outbox package into ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"Không tạo được thư mục {folder}: {exc.strerror}.",
                              f"Cannot create the folder {folder}: {exc.strerror}.") from None
    result = ExportResult()
    with office.db.read() as s:
        me = self_org(s).code
        items = list(s.scalars(select(OutboxItem).where(OutboxItem.sent_at.is_(None))
                               .order_by(OutboxItem.id)))
        for item in items:
            dest = folder / _file_name(me, item)
            try:
                if item.kind == "status":
                    build_status(s, item, dest)
                else:
                    build_edoc(s, office.blobs, item, dest)
            except (DeskError, OSError) as exc:  # a damaged item leaves the others to export
                result.errors.append(f"#{item.id}: {exc}")
                continue
            result.files.append(dest)
    with office.db.write() as s:
        audit.record(s, None, "exchange.export", "outbox", None, folder=str(folder),
                     files=[p.name for p in result.files])
    return result


def package_files(paths: Iterable[Path]) -> list[Path]:
    """The package files named: files as given, folders by their ``*.edxml`` files (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() == SUFFIX)
        elif p.is_file():
            out.append(p)
        else:
            raise ValidationError(f"Không tìm thấy {p}.", f"{p} not found.", code="not_found")
    return out


def import_packages(office: Office, paths: Iterable[Path], *, trust: object = None,
                    verify_signatures: bool = True) -> SyncReport:
    """Take package files in as if they had been received through the exchange."""
    from sync.engine.inbox import take

    engine = SyncEngine(office, None, trust=trust, verify_signatures=verify_signatures)  # type: ignore[arg-type]
    with office.db.read() as s:
        me = self_org(s).code

    def addressed_to_us(pkg: Package) -> str | None:
        if pkg.sender == me:
            return f"Gói tin do chính đơn vị này ({me}) gửi đi."
        if me not in pkg.recipients:
            who = ", ".join(pkg.recipients) or "—"
            kind = "Trạng thái" if isinstance(pkg.header, StatusHeader) else "Văn bản"
            return f"{kind} gửi cho {who}, không phải cho đơn vị này ({me})."
        return None

    report = SyncReport()
    for path in package_files(paths):
        key = f"file:{sha256_file(path)}"
        if intake.seen(office, key):
            report.duplicates += 1
            continue
        scratch = engine.scratch()
        try:
            local = scratch / "package.edxml"
            shutil.copyfile(path, local)  # a stick can be pulled out halfway
            take(engine, key, local, "edoc", report, scratch, addressed_to_us)
        except OSError as exc:
            report.errors.append(f"{path.name}: {exc}")
            continue
        finally:
            engine.clean_scratch(scratch)
        intake.acknowledged(office, key, source=path.name)
    return report
