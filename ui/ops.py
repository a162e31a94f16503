"""Background operations, in the spirit of Anki's CollectionOp / QueryOp.

``Op(parent, fn).success(cb).run()`` runs ``fn(ctx)`` on the QThreadPool. The
worker never touches widgets: it reports progress through ``ctx.progress``,
checks ``ctx.cancelled()`` between steps, and, when it must ask the user
something (a PIN), calls ``ctx.in_gui(fn, ...)``, which runs ``fn`` on the GUI
thread and waits for its answer. Success callbacks run on the GUI thread;
errors go to :mod:`ui.messages` (DeskError and friends as they are, anything
else logged with a reference). An op that changes data declares a
:class:`Changes` value, broadcast on :data:`bus` so every screen can refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ui import messages
from ui.i18n import tr

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so screens know whether to refresh."""

    documents: bool = False  # lists, counts, the open document
    settings: bool = False
    document_ids: tuple[int, ...] = ()


class _Bus(QObject):
    changed = Signal(object)  # Changes


bus: _Bus | None = None


def get_bus() -> _Bus:
    global bus
    if bus is None:
        bus = _Bus()
    return bus


class Cancelled(Exception):
    """Raised inside a worker by ``ctx.check()`` when the user pressed Cancel."""


class _GuiCall:
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args
        self.result: Any = None
        self.error: BaseException | None = None


class _Signals(QObject):
    progress = Signal(str, float)
    done = Signal(object)
    failed = Signal(object)
    gui_call = Signal(object)


class OpContext:
    """What a worker function may use."""

    def __init__(self, signals: _Signals, cancel: threading.Event) -> None:
        self._signals = signals
        self.cancel = cancel

    def progress(self, text: str, fraction: float = -1.0) -> None:
        """Report progress; ``fraction`` in 0..1, or negative when unknown."""
        self._signals.progress.emit(text, float(fraction))

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def in_gui(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on the GUI thread and return its result (blocking this worker)."""
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            return fn(*args)
        call = _GuiCall(fn, args)
        self._signals.gui_call.emit(call)
        if call.error is not None:
            raise call.error
        return call.result


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[OpContext], Any], ctx: OpContext, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._ctx, self._signals = fn, ctx, signals

    def run(self) -> None:
        try:
            try:
                result = self._fn(self._ctx)
            except BaseException as exc:  # reported on the GUI thread, never lost
                self._signals.failed.emit(exc)
            else:
                self._signals.done.emit(result)
        except RuntimeError:
            pass  # the app is closing and the receiver is gone: nobody is left to tell


_running: set[Op[Any]] = set()


class Op(QObject, Generic[T]):
    """One background operation. Chain ``.success()``, ``.failure()``, ``.finished()``, then ``.run()``."""

    def __init__(self, parent: QWidget | None, fn: Callable[[OpContext], T], *,
                 title: str | None = None, progress: bool = True, cancellable: bool = True,
                 changes: Changes | None = None) -> None:
        # Owned by the application object, not by Python: a cyclic garbage collection
        # that happens to run on a worker thread must never destroy a QObject that
        # lives on the GUI thread. It is deleted with deleteLater() once finished.
        super().__init__(QCoreApplication.instance())
        self._parent = parent
        self._fn = fn
        self._title = title or tr("Working…")
        self._show_progress = progress
        self._cancellable = cancellable
        self._changes = changes
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], bool] | None = None
        self._on_finished: Callable[[], None] | None = None
        self._on_progress: Callable[[str, float], None] | None = None
        self.cancel_event = threading.Event()
        self._dialog: QProgressDialog | None = None
        self._signals = _Signals(self)
        self._signals.progress.connect(self._progress)
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        self._signals.gui_call.connect(self._gui_call, Qt.ConnectionType.BlockingQueuedConnection)

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], bool]) -> Op[T]:
        """``cb(exc)`` returns True when it handled the error (no message box)."""
        self._on_failure = cb
        return self

    def finished(self, cb: Callable[[], None]) -> Op[T]:
        self._on_finished = cb
        return self

    def on_progress(self, cb: Callable[[str, float], None]) -> Op[T]:
        self._on_progress = cb
        return self

    def run(self) -> Op[T]:
        _running.add(self)
        if self._show_progress:
            dlg = QProgressDialog(self._title, tr("Cancel") if self._cancellable else "", 0, 0, self._parent)
            dlg.setWindowTitle(tr("Desk"))
            dlg.setMinimumDuration(400)  # quick operations never flash a dialog
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            if not self._cancellable:
                dlg.setCancelButton(None)
            dlg.canceled.connect(self.cancel)
            self._dialog = dlg
        ctx = OpContext(self._signals, self.cancel_event)
        QThreadPool.globalInstance().start(_Runnable(self._fn, ctx, self._signals))
        return self

    def cancel(self) -> None:
        self.cancel_event.set()
        if self._dialog is not None:
            self._dialog.setLabelText(tr("Stopping after the current step…"))

    @Slot(str, float)
    def _progress(self, text: str, fraction: float) -> None:
        if self._dialog is not None:
            self._dialog.setLabelText(text)
            if fraction >= 0:
                self._dialog.setMaximum(1000)
                self._dialog.setValue(int(fraction * 1000))
        if self._on_progress is not None:
            self._on_progress(text, fraction)

    @Slot(object)
    def _gui_call(self, call: _GuiCall) -> None:
        try:
            call.result = call.fn(*call.args)
        except BaseException as exc:  # handed back to the worker
            call.error = exc

    def _close(self) -> None:
        import shiboken6

        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
        self._dialog = None
        # Deleted on the GUI thread, after the queued signals now being handled.
        _running.discard(self)
        self.deleteLater()

    def _parent_gone(self) -> bool:
        """The widget that asked is closed and deleted: its callbacks must not run."""
        import shiboken6

        return self._parent is not None and not shiboken6.isValid(self._parent)

    @Slot(object)
    def _done(self, result: T) -> None:
        self._close()
        if self._parent_gone():
            if self._changes is not None:
                get_bus().changed.emit(self._changes)
            return
        try:
            if self._changes is not None:
                get_bus().changed.emit(self._changes)
            if self._on_success is not None:
                self._on_success(result)
        except Exception as exc:  # a bug in a callback must still reach the user
            messages.error(exc, self._parent)
        finally:
            if self._on_finished is not None:
                self._on_finished()

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._close()
        if self._parent_gone():
            if not isinstance(exc, Cancelled) and messages.expected_text(exc) is None:
                messages.log_unexpected(exc)
            return
        try:
            if isinstance(exc, Cancelled):
                return
            if self._on_failure is not None and self._on_failure(exc):
                return
            messages.error(exc, self._parent)
        finally:
            if self._on_finished is not None:
                self._on_finished()


def query(parent: QWidget | None, fn: Callable[[OpContext], T], cb: Callable[[T], None]) -> Op[T]:
    """A read-only background query without a progress dialog (Anki's QueryOp)."""
    return Op(parent, fn, progress=False, cancellable=False).success(cb).run()
