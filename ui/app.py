"""Starting the desktop app: ``run_app`` (what ``desk run`` and ``desk gui`` call).

Start-up is kept short on purpose: the store is opened without healing the
search index (that runs in the background once the first list is shown), and
heavy modules (pyHanko, the sync client, python-docx) are imported only when a
screen needs them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desk.errors import DeskError, ValidationError

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.mainwindow import MainWindow

log = logging.getLogger("desk.ui")


def _ensure_display(screenshot: Path | None) -> None:
    """Qt aborts the process without a display; say so (or render offscreen for screenshots)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    raise ValidationError(
        "Không tìm thấy màn hình (DISPLAY). Hãy chạy Desk trong phiên đồ họa, hoặc dùng "
        "'desk gui --screenshot TỆP' / QT_QPA_PLATFORM=offscreen khi chạy không màn hình.",
        "No display found (DISPLAY). Run Desk in a graphical session, or use "
        "'desk gui --screenshot FILE' / QT_QPA_PLATFORM=offscreen when headless.",
        code="no_display")


def application() -> QApplication:
    from ui import pyside_fix

    pyside_fix.apply()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Desk")
    app.setOrganizationName("Desk")
    if sys.platform == "win32":
        _windows_ui_font(app)
    pyside_fix.collect_on_gui_thread()
    return app


def _windows_ui_font(app: QApplication) -> None:
    """Segoe UI (Windows 7 and later), else Tahoma: both cover Vietnamese, unlike the
    "MS Shell Dlg 2" default some Windows setups map to a font without it."""
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    for family in ("Segoe UI", "Tahoma"):
        if family in families:
            font = QFont(family, 9)
            app.setFont(font)
            return


def open_context(home: Path | None, lang: str | None = None, user: str | None = None) -> AppContext:
    """The office, its settings and the user's language, ready for a window."""
    from desk.office import Office
    from desk.paths import DataPaths
    from ui import messages
    from ui.context import AppContext
    from ui.i18n import install_translator
    from ui.settings import Settings

    paths = DataPaths.resolve(home)
    settings = Settings.load(paths.settings)
    if lang:
        settings.language = lang
    install_translator(settings.language)
    messages.set_log_file(paths.logs / "desk.log")
    office = Office(paths, heal=False)
    ctx = AppContext(office, settings)
    if user:
        ctx.settings.current_user = user
    return ctx


def heal_index_in_background(ctx: AppContext) -> None:
    from ui.ops import Op

    Op(None, lambda _c: ctx.office.search.ensure(), progress=False).failure(_log_only).run()


def _log_only(exc: BaseException) -> bool:
    from ui import messages

    messages.log_unexpected(exc)
    return True


def run_app(home: Path | None = None, *, screenshot: Path | None = None, view: str | None = None,
            lang: str | None = None, user: str | None = None) -> int:
    """Open the main window on the office in ``home``; returns the exit code."""
    _ensure_display(screenshot)
    app = application()
    from ui import messages

    try:
        ctx = open_context(home, lang, user)
    except DeskError as exc:
        messages.error(exc)
        return 2
    from ui.mainwindow import MainWindow

    window = MainWindow(ctx)
    if view and not window.nav.select(view):
        messages.warning(f"{view}: " + ", ".join(window.nav.view_keys()))
    window.first_list_shown.connect(lambda: heal_index_in_background(ctx))
    window.first_list_shown.connect(window.sync_status.start)
    if screenshot is not None:
        return _screenshot(app, window, screenshot)
    window.restore_geometry()
    window.show()
    if not ctx.settings.first_run_done:
        from ui.dialogs.settings_dialog import run_first_run_wizard

        QTimer.singleShot(0, lambda: run_first_run_wizard(window))
    code = app.exec()
    ctx.office.close()
    return int(code)


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    """Show the window, wait for its first list, save a PNG, print the start-up time."""
    from ui.startup import seconds_since_start

    elapsed: list[float] = []
    loop = QEventLoop()

    def first_list() -> None:
        elapsed.append(seconds_since_start())
        # Give the detail pane a moment for a fuller picture (not counted in the figure).
        window.detail.loaded.connect(lambda _i: QTimer.singleShot(50, loop.quit))
        QTimer.singleShot(1500, loop.quit)

    window.first_list_shown.connect(first_list)
    QTimer.singleShot(20_000, loop.quit)  # never hang a script
    window.show()
    loop.exec()
    if not elapsed:
        print("desk gui: the first list did not appear within 20 s", file=sys.stderr)
        return 1
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        print(f"desk gui: cannot write {path}", file=sys.stderr)
        return 1
    print(f"first_list_s={elapsed[0]:.3f}")
    window.sync_status.stop()
    window.close()
    window.ctx.office.close()
    return 0
