"""The one place that tells the user something (in the spirit of qutebrowser's message module).

Expected failures (any ``signing.usertext.UserError``: DeskError, SigningError,
SyncError) are shown as they are, in the user's language. Anything else is a bug: its traceback goes to the log with
a short reference, and the user sees the reference instead of a traceback.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from signing.usertext import UserError
from ui.i18n import tr

log = logging.getLogger("desk.ui")

# Tests replace this to see what would have been shown without a modal box.
Sink = Callable[[str, str, str], None]  # (level, title, text)
_sink: Sink | None = None
_log_file: Path | None = None


def set_sink(sink: Sink | None) -> None:
    global _sink
    _sink = sink


def set_log_file(path: Path) -> None:
    """Send unexpected errors to ``path`` (the office's logs/desk.log)."""
    global _log_file
    _log_file = path


def expected_text(exc: BaseException) -> str | None:
    """The user-facing message of an expected error, or None for a bug."""
    if isinstance(exc, UserError):  # DeskError, SigningError, SyncError: one protocol
        return exc.message()
    if isinstance(exc, OSError) and exc.errno == 28:
        return tr("The disk is full. Free some space and try again; nothing was saved.")
    return None


def log_unexpected(exc: BaseException) -> str:
    """Write the traceback to the log; returns the reference shown to the user."""
    ref = uuid.uuid4().hex[:8].upper()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error [%s]\n%s", ref, text)
    if _log_file is not None:
        try:
            _log_file.parent.mkdir(parents=True, exist_ok=True)
            with _log_file.open("a", encoding="utf-8", newline="\n") as fh:
                fh.write(f"--- [{ref}]\n{text}\n")
        except OSError:
            pass
    return ref


def show(level: str, title: str, text: str, parent: QWidget | None = None) -> None:
    if _sink is not None:
        _sink(level, title, text)
        return
    box = {"error": QMessageBox.critical, "warning": QMessageBox.warning}.get(level, QMessageBox.information)
    box(parent, title, text)


def error(exc: BaseException, parent: QWidget | None = None) -> None:
    text = expected_text(exc)
    if text is None:
        ref = log_unexpected(exc)
        where = str(_log_file) if _log_file else "desk.log"
        text = tr("An unexpected error occurred (reference {ref}). The details were written to {log}; "
                  "please send them to your IT support.").format(ref=ref, log=where)
    show("error", tr("Desk"), text, parent)


def info(text: str, parent: QWidget | None = None) -> None:
    show("info", tr("Desk"), text, parent)


def warning(text: str, parent: QWidget | None = None) -> None:
    show("warning", tr("Desk"), text, parent)
