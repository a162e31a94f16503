"""Sync status in the status bar: online or not, items waiting each way, last success, failures.

The sync engine is imported lazily (it pulls in the HTTP client); an office that
was never connected to an exchange server says so instead of pretending.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSystemTrayIcon, QWidget

from ui.context import AppContext
from ui.i18n import fmt_datetime, tr
from ui.icons import icon
from ui.ops import Changes, Op, OpContext, query

STATUS_EVERY_MS = 30_000
SYNC_EVERY_MS = 5 * 60_000


def status_text(st: Any) -> str:
    """One line for a SyncStatus."""
    if st.online is None:
        head = tr("Not synced yet")
    elif st.online:
        head = tr("Online")
    else:
        head = tr("Offline")
    parts = [head, tr("to send: {n}").format(n=st.pending_out), tr("to receive: {n}").format(n=st.pending_in)]
    if getattr(st, "quarantined", 0):
        parts.append(tr("set aside: {n}").format(n=st.quarantined))
    if st.last_success is not None:
        parts.append(tr("last sync {at}").format(at=fmt_datetime(st.last_success)))
    if st.last_error:
        parts.append(tr("error: {e}").format(e=st.last_error))
    return " · ".join(parts)


class SyncStatusWidget(QWidget):
    status_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine: Any = None
        self.configured: bool | None = None
        self._busy = False
        self.icon = QLabel()
        self.label = QLabel(tr("Checking the exchange connection…"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.icon)
        lay.addWidget(self.label)
        self._set_icon(False)
        self.tray: QSystemTrayIcon | None = None
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_EVERY_MS)
        self._status_timer.timeout.connect(self.refresh)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(SYNC_EVERY_MS)
        self._sync_timer.timeout.connect(lambda: self.sync_now(quiet=True))

    def start(self) -> None:
        """Begin watching (after the first list is shown, so start-up stays fast)."""
        self.refresh()
        self._status_timer.start()
        self._sync_timer.start()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon("desk"), self)
            self.tray.show()

    def stop(self) -> None:
        self._status_timer.stop()
        self._sync_timer.stop()

    def _set_icon(self, online: bool) -> None:
        self.icon.setPixmap(icon("sync-online" if online else "sync-offline").pixmap(16, 16))

    def _engine(self) -> Any:
        """The engine, or None when this office has no exchange connection (or no sync module)."""
        if self.engine is not None:
            return self.engine
        try:
            from sync.engine import engine_for
        except ImportError:
            return None
        from sync.errors import SyncError

        try:
            self.engine = engine_for(self.ctx.office)
        except SyncError:
            return None
        return self.engine

    def refresh(self) -> None:
        def work(_ctx: OpContext) -> Any:
            engine = self._engine()
            return None if engine is None else engine.status()

        query(self, work, self._show)

    def _show(self, st: Any) -> None:
        if st is None:
            self.configured = False
            self._set_icon(False)
            text = tr("exchange server not configured")
        else:
            self.configured = True
            self._set_icon(bool(st.online))
            text = status_text(st)
        self.label.setText(text)
        self.setToolTip(text)
        self.status_changed.emit(text)

    def forget_engine(self) -> None:
        """Settings changed: connect again on the next refresh."""
        self.engine = None
        self.refresh()

    def sync_now(self, quiet: bool = False) -> None:
        if self._busy:
            return
        self._busy = True

        def work(ctx: OpContext) -> Any:
            engine = self._engine()
            if engine is None:
                return None
            return engine.run_once(progress=lambda m, f: ctx.progress(m, f), cancel=ctx.cancel)

        def done(report: Any) -> None:
            if report is None:
                if not quiet:
                    from ui import messages

                    messages.info(tr("This office is not connected to an exchange server yet. "
                                     "Open Settings → Exchange to enter its address."), self.window())
                self._show(None)
                return
            if report.received and self.tray is not None:
                self.tray.showMessage(tr("Desk"), tr("{n} new documents arrived.").format(n=report.received))
            self.refresh()

        op = Op(self.window(), work, title=tr("Synchronising with the exchange server…"),
                progress=not quiet, changes=Changes(documents=True))
        op.success(done).finished(self._not_busy).run()

    def _not_busy(self) -> None:
        self._busy = False

    def notify(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text)
