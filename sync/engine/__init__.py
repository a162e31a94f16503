"""The sync engine: the office's outbox and inbox against the exchange server.

Sending: every package or status to send is an ``outbox`` row written in the same
transaction as the change that caused it, before any network call. A round
builds each due row's package deterministically and sends it; failures back off
exponentially with jitter. Sending twice is harmless (the server delivers a
package once).

Receiving: list → download (resumable, SHA-256 checked) → parse → verify the
PDFs' signatures → store the files (durable) → one transaction that creates the
document, marks the server id in ``inbox`` and records status 01 for the sender
→ only then acknowledge to the server. A crash at any step leaves either nothing
(the next round starts again) or the whole document (the next round only
acknowledges it). Statuses from recipients update the per-recipient table of
our outgoing documents.
"""

from __future__ import annotations

import logging
import random
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select

from desk.clock import now
from desk.errors import DeskError
from desk.models import InboxItem, Meta, OutboxItem
from desk.office import Office
from desk.services.intake import SET_ASIDE
from sync.errors import TransportError

log = logging.getLogger(__name__)

QUARANTINED = SET_ASIDE  # inbox state of a package set aside (see inbox.quarantine)
BACKOFF_BASE = 5.0  # seconds
BACKOFF_MAX = 30 * 60.0
STATE_KEY = "sync_state"

Progress = Callable[[str, float], None]


class Client(Protocol):  # what the engine needs of sync.client.ExchangeClient
    system_id: str

    def send_edoc(self, path: Path, *, from_code: str | None = ..., message_type: str = ...,
                  to: Any = ..., resumable: bool | None = ...) -> str: ...
    def received(self, message_type: str = ...) -> list[Any]: ...
    def download(self, doc_id: str, dest: Path) -> Path: ...
    def acknowledge(self, doc_id: str, status: str = ...) -> None: ...


@dataclass
class SyncReport:
    sent: int = 0
    send_failed: int = 0
    received: int = 0
    statuses: int = 0
    duplicates: int = 0
    rejected: int = 0  # refused packages, all set aside (quarantined below)
    errors: list[str] = field(default_factory=list)
    # (server id, sender, reason) of each package set aside this round
    quarantined: list[tuple[str, str, str]] = field(default_factory=list)
    cancelled: bool = False
    unreachable: bool = False  # a TransportError: the server or the link is down
    trust_updated: bool = False  # the province's trust bundle changed this round
    head_anchored: bool = False  # the audit head is on the exchange server (deposited now or before)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not tried yet
    pending_out: int
    pending_in: int
    last_success: datetime | None
    last_error: str | None
    quarantined: int = 0  # packages set aside, waiting for the clerk to look


@dataclass(frozen=True)
class QuarantinedPackage:
    server_id: str
    sender: str | None
    message_type: str
    reason: str
    received_at: datetime
    kept: Path | None  # the package's bytes, for the clerk or the sender's vendor


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with full jitter around the nominal delay (0.5×–1.5×)."""
    r = rng or random
    nominal = min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)
    return timedelta(seconds=nominal * (0.5 + r.random()))


class SyncEngine:
    def __init__(self, office: Office, client: Client, *, trust: Any = None,
                 verify_signatures: bool = True) -> None:
        self.office = office
        self.client = client
        self._trust = trust  # None: the office's trust settings, read afresh each time
        self.verify_signatures = verify_signatures
        self.work = office.paths.home / "exchange"
        self._lock = threading.Lock()
        self._pending_in = 0
        self._online: bool | None = None
        self._head_sent: tuple[int, str] | None = None  # the last audit head the server took

    @property
    def trust(self) -> Any:
        """The trust settings incoming PDFs are verified with: the one the CLI and the app use
        (Desk's store + the office's and the province's anchors + the cache), never an empty list."""
        if self._trust is not None:
            return self._trust
        from desk.signatures import office_trust

        return office_trust(self.office)

    # --- status for the UI -----------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self.office.db.read() as s:
            pending = s.scalar(select(func.count()).select_from(OutboxItem)
                               .where(OutboxItem.sent_at.is_(None))) or 0
            state = s.get(Meta, STATE_KEY)
            held = s.scalar(select(func.count()).select_from(InboxItem)
                            .where(InboxItem.state == QUARANTINED)) or 0
        import json

        info = json.loads(state.value) if state else {}
        last = info.get("last_success")
        return SyncStatus(self._online if self._online is not None else info.get("online"),
                          int(pending), self._pending_in,
                          datetime.fromisoformat(last) if last else None, info.get("last_error"),
                          int(held))

    def quarantined(self, limit: int = 200) -> list[QuarantinedPackage]:
        """Packages set aside (newest first), with why and where their bytes are kept."""
        from sync.engine.inbox import quarantine_path

        with self.office.db.read() as s:
            rows = s.scalars(select(InboxItem).where(InboxItem.state == QUARANTINED)
                             .order_by(InboxItem.received_at.desc()).limit(limit)).all()
            out = []
            for r in rows:
                kept = quarantine_path(self, r.server_id)
                out.append(QuarantinedPackage(r.server_id, r.sender, r.message_type, r.note or "",
                                              r.received_at, kept if kept.exists() else None))
        return out

    def _remember(self, *, ok: bool, online: bool, error: str | None) -> None:
        import json

        with self.office.db.write() as s:
            row = s.get(Meta, STATE_KEY)
            info = json.loads(row.value) if row else {}
            info["online"] = online
            if ok:
                info["last_success"] = now().isoformat()
                info["last_error"] = None
            else:
                info["last_error"] = error
            value = json.dumps(info, ensure_ascii=False)
            if row is None:
                s.add(Meta(key=STATE_KEY, value=value))
            else:
                row.value = value

    # --- one round -------------------------------------------------------------------------

    def run_once(self, progress: Progress | None = None,
                 cancel: threading.Event | None = None) -> SyncReport:
        """Send what is due, then receive documents and statuses. Never raises for network trouble."""
        from sync.engine.inbox import receive_all
        from sync.engine.outbox import send_due

        report = SyncReport()
        if not self._lock.acquire(blocking=False):
            return report  # a round is already running in this process
        try:
            self.work.mkdir(parents=True, exist_ok=True)
            step = progress or (lambda _m, _f: None)
            try:
                step("Đang gửi…", 0.0)
                send_due(self, report, cancel)
                if cancel is not None and cancel.is_set():
                    report.cancelled = True
                    return report
                step("Đang nhận…", 0.5)
                pull_trust_bundle(self, report)
                receive_all(self, report, cancel, step)
                if report.received or report.rejected or report.statuses:
                    send_due(self, report, cancel)  # 01 goes back the same day, at once
                anchor_audit_head(self, report)
                step("Xong", 1.0)
            except TransportError as exc:
                report.unreachable = True
                report.errors.append(str(exc))
            except DeskError as exc:
                report.errors.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - a round never kills --watch or the app
                log.exception("sync round failed")
                report.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
            self._online = not report.unreachable
            self._remember(ok=report.ok, online=self._online,
                           error=report.errors[0] if report.errors else None)
            return report
        finally:
            self._lock.release()

    def run_forever(self, interval: float = 30.0, stop: threading.Event | None = None,
                    on_round: Callable[[SyncReport], None] | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            report = self.run_once(cancel=stop)
            if on_round:
                on_round(report)
            stop.wait(interval)

    def scratch(self) -> Path:
        self.work.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.work, prefix="tmp-"))

    def clean_scratch(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def pending_inbox(self) -> int:
        with self.office.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(InboxItem)
                                .where(InboxItem.state != "acked")) or 0)


def pull_trust_bundle(engine: SyncEngine, report: SyncReport) -> None:
    """Install the province's trust bundle when the server publishes a new one.

    Before the documents are received, so they are verified with it. A server that
    does not publish one (an axis server, an older Desk) leaves the office's as it is.
    """
    fetch = getattr(engine.client, "trust_bundle", None)
    if fetch is None or report.unreachable:
        return
    from signing.errors import SigningError
    from signing.trust import OfficeTrust, parse_certificates
    from sync.errors import ServerRefused

    try:
        version, pems = fetch()
    except (ServerRefused, TransportError) as exc:
        # An axis server has no such operation (it answers 404 or not JSON): keep what we have.
        log.info("no trust bundle from the server: %s", exc)
        return
    office = OfficeTrust(engine.office.paths.home)
    if version == office.bundle_version():
        return
    try:
        certs = [c for p in pems for c in parse_certificates(p, "trust bundle")]
    except SigningError as exc:
        report.errors.append(str(exc.vi))
        return
    count = office.install_bundle(certs)
    report.trust_updated = True
    log.info("province trust bundle installed: %d certificates", count)


def anchor_audit_head(engine: SyncEngine, report: SyncReport) -> None:
    """After a good round, file the office's MACed audit head on the exchange server.

    The server keeps every office's heads, so cutting the newest entries off the log (and
    rewriting ``meta.audit_head`` and the local anchor file) is still found by ``desk audit
    verify``. A server without the operation (an axis server) leaves the round as it is.
    """
    deposit = getattr(engine.client, "deposit_audit_head", None)
    if deposit is None or report.unreachable or report.errors or report.cancelled:
        return
    from desk import audit_anchor
    from sync.errors import ServerRefused

    with engine.office.db.read() as s:
        head = audit_anchor.signed_head(s, engine.office.paths.home)
    if engine._head_sent == (head["id"], head["hash"]):
        report.head_anchored = True
        return
    try:
        deposit(head)
    except (ServerRefused, TransportError) as exc:
        log.info("audit head not deposited on the server: %s", exc)
        return
    engine._head_sent = (head["id"], head["hash"])
    report.head_anchored = True


def engine_for(office: Office) -> SyncEngine:
    """The engine for an office connected with ``desk exchange connect``."""
    from sync.connection import load_connection

    conn = load_connection(office.paths.home)
    return SyncEngine(office, conn.client())
