"""Sync status in the status bar: online or not, items waiting each way, last success, failures.

The sync engine is imported lazily (it pulls in the HTTP client); an office that
was never connected to an exchange server says so instead of pretending.

Its menu (the "…" button, or a right click) also offers the USB-stick path for places
without a link: write the waiting packages to a folder, and take packages in from one
(sync.engine.files does the work, off the GUI thread), and lists the received packages
that were set aside, with why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSystemTrayIcon,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
        # The encrypted key file (no OS keyring): locked until its passphrase is given this
        # session; declined: the user cancelled, so timed syncs do not ask again.
        self.locked = False
        self._declined = False
        self.passphrase_dialog: Any = None
        self.icon = QLabel()
        self.label = QLabel(tr("Checking the exchange connection…"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.icon)
        lay.addWidget(self.label)
        self.menu = QMenu(self)
        self.act_export = QAction(tr("Export waiting packages to a folder or USB stick…"), self)
        self.act_export.triggered.connect(lambda: self.export_outbox())
        self.act_import = QAction(tr("Import packages from a folder or USB stick…"), self)
        self.act_import.triggered.connect(lambda: self.import_packages())
        self.act_set_aside = QAction(tr("Packages set aside…"), self)
        self.act_set_aside.triggered.connect(lambda: self.show_set_aside())
        self.menu.addAction(self.act_export)
        self.menu.addAction(self.act_import)
        self.menu.addSeparator()
        self.menu.addAction(self.act_set_aside)
        self.more = QToolButton(self)
        self.more.setText("…")
        self.more.setToolTip(tr("Without a link: move packages by USB stick"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setMenu(self.menu)
        lay.addWidget(self.more)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda pos: self.menu.exec(self.mapToGlobal(pos)))
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
        if self._connected():
            self.unlock_then(self.refresh)  # asks for the key file's passphrase when needed
        else:
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

    def _connected(self) -> bool:
        """This office has an exchange connection in its settings (exchange.toml)."""
        try:
            from sync.connection import load_connection

            load_connection(self.ctx.office.paths.home)
        except Exception:  # not connected, damaged settings, or no sync module: refresh says which
            return False
        return True

    def unlock_then(self, action: Callable[[], None], *, interactive: bool = True) -> None:
        """Run ``action`` once the exchange secret can be read: when it is in Desk's encrypted
        file and this session has no passphrase yet, ask for it first (once; a cancel is
        remembered, and only an explicit request asks again)."""
        from ui.dialogs.passphrase_dialog import ask_once, needed

        if not needed():
            action()
            return
        if self.passphrase_dialog is not None or (self._declined and not interactive):
            self._show_locked()
            return

        def then(unlocked: bool) -> None:
            self.passphrase_dialog = None
            self._declined = not unlocked
            if unlocked:
                self.engine = None  # built again with the secret now readable
                self.locked = False
                action()
            else:
                self._show_locked()

        self.passphrase_dialog = ask_once(self.window(), then)

    def _show_locked(self) -> None:
        self.locked = True
        self._set_icon(False)
        text = tr("exchange secret locked: press Sync to enter the passphrase of Desk's key file")
        self.label.setText(text)
        self.setToolTip(text)
        self.status_changed.emit(text)

    def _engine(self) -> Any:
        """The engine, or None when this office has no exchange connection (or no sync module)."""
        if self.engine is not None:
            return self.engine
        try:
            from sync.engine import engine_for
        except ImportError:
            return None
        from sync.errors import SyncError
        from sync.secrets import LOCKED, WRONG_PASSPHRASE

        try:
            self.engine = engine_for(self.ctx.office)
        except SyncError as exc:
            self.locked = exc.code in (LOCKED, WRONG_PASSPHRASE)
            return None
        self.locked = False
        return self.engine

    def refresh(self) -> None:
        def work(_ctx: OpContext) -> Any:
            engine = self._engine()
            return None if engine is None else engine.status()

        query(self, work, self._show)

    def _show(self, st: Any) -> None:
        if st is None and self.locked:
            self._show_locked()
            return
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
        self.unlock_then(lambda: self._sync(quiet), interactive=not quiet)

    def _sync(self, quiet: bool) -> None:
        if self._busy:
            return
        self._busy = True

        def work(ctx: OpContext) -> Any:
            engine = self._engine()
            if engine is None:
                return None
            return engine.run_once(progress=lambda m, f: ctx.progress(m, f), cancel=ctx.cancel)

        def done(report: Any) -> None:
            if report is None and self.locked:
                self._show_locked()
                return
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

    # --- the USB-stick path ----------------------------------------------------------------------
    def _ask_folder(self, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.window(), title)
        return Path(chosen) if chosen else None

    def export_outbox(self, folder: Path | None = None) -> None:
        """Write every package waiting to be sent into a folder (a USB stick)."""
        folder = folder or self._ask_folder(tr("Folder or USB stick to write the packages to"))
        if folder is None:
            return
        office = self.ctx.office

        def work(_ctx: OpContext) -> Any:
            from sync.engine.files import export_outbox

            return export_outbox(office, folder)

        def done(result: Any) -> None:
            from ui import messages

            text = tr("{n} packages written to {folder}. They stay in the queue and still go "
                      "through the exchange when the link is back; nothing arrives twice.").format(
                n=len(result.files), folder=str(folder))
            if result.errors:
                text += "\n" + "\n".join(result.errors)
            messages.info(text, self.window())
            self.refresh()

        Op(self.window(), work, title=tr("Writing packages…")).success(done).run()

    def import_packages(self, folder: Path | None = None) -> None:
        """Take in the packages in a folder (a USB stick) as if they had been received."""
        folder = folder or self._ask_folder(tr("Folder or USB stick with the packages"))
        if folder is None:
            return
        office = self.ctx.office

        def work(_ctx: OpContext) -> Any:
            from sync.engine.files import import_packages

            return import_packages(office, [folder])

        def done(report: Any) -> None:
            from ui import messages

            text = tr("Taken in: {docs} documents and {statuses} statuses; already here: {dup}; "
                      "refused: {bad}.").format(docs=report.received, statuses=report.statuses,
                                                dup=report.duplicates, bad=report.rejected)
            if report.errors:
                text += "\n" + "\n".join(report.errors)
            messages.info(text, self.window())
            self.refresh()

        Op(self.window(), work, title=tr("Reading packages…"),
           changes=Changes(documents=True)).success(done).run()

    def show_set_aside(self) -> None:
        """The received packages that could not be taken in, each with why (read off the GUI thread)."""
        office = self.ctx.office

        def work(_ctx: OpContext) -> Any:
            from sync.engine import SyncEngine

            return SyncEngine(office, None).quarantined()  # type: ignore[arg-type]  # no client: reads the office only

        def done(items: Any) -> None:
            self.set_aside_dialog = SetAsideDialog(items, self.window())
            self.set_aside_dialog.show()

        query(self, work, done)

    def notify(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text)


class SetAsideDialog(QDialog):
    """Packages set aside (quarantine): when, from whom, why, and where their bytes are kept."""

    def __init__(self, items: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Packages set aside"))
        self.resize(900, 360)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("These packages could not be taken in; their sender, when known, was told "
                                "(status 02). The documents behind them were received as usual.")
                             if items else tr("No package has been set aside.")))
        self.table = QTableWidget(len(items), 5, self)
        self.table.setHorizontalHeaderLabels([tr("Received"), tr("Sender"), tr("Kind"), tr("Reason"),
                                              tr("Kept as")])
        for row, it in enumerate(items):
            kind = tr("document") if it.message_type == "edoc" else tr("status")
            for col, text in enumerate((fmt_datetime(it.received_at), it.sender or "—", kind, it.reason,
                                        str(it.kept) if it.kept else "—")):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, col, cell)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, 420)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        buttons.addButton(tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
