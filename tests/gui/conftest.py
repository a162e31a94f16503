"""Fixtures for the desktop app's tests: a demo office copied per test, the real window,
the real dialogs, the SoftHSM2 token from the suite's PKI, screenshots of each screen."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QDialog, QWidget

SCREENSHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _gc_back_to_python() -> Iterator[None]:
    """The app collects garbage on the GUI thread only; other suites in this process need
    Python's own collection back once the GUI tests are done."""
    yield
    from ui import pyside_fix

    pyside_fix.stop_collecting()


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-document demo office (20 with PDFs), built once and copied by each test."""
    from desk.demo import seed
    from desk.office import Office

    home = tmp_path_factory.mktemp("gui-office-template") / "office"
    with Office.open(home) as office:
        seed(office, 300, pdfs=20)
    return home


@pytest.fixture
def office_home(office_template: Path, tmp_path: Path) -> Path:
    home = tmp_path / "office"
    shutil.copytree(office_template, home)
    return home


@pytest.fixture
def shown_messages() -> Iterator[list[tuple[str, str, str]]]:
    """What the message module would have shown (no modal boxes in tests)."""
    from ui import messages

    seen: list[tuple[str, str, str]] = []
    messages.set_sink(lambda level, title, text: seen.append((level, title, text)))
    yield seen
    messages.set_sink(None)


def wait_idle(qtbot: Any, timeout: int = 30_000) -> None:
    """Until every background operation has finished and reported back."""
    from ui import ops

    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0 and not ops._running, timeout=timeout)


def shot(widget: QWidget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


@pytest.fixture
def open_window(qtbot: Any, office_home: Path, shown_messages: list[Any]) -> Iterator[Callable[..., Any]]:
    """``open_window(username)``: the main window on a fresh copy of the demo office, first list shown."""
    from ui.app import application, open_context
    from ui.mainwindow import MainWindow

    application()
    opened: list[Any] = []

    def make(username: str = "vanthu", home: Path | None = None, **settings: Any) -> Any:
        ctx = open_context(home or office_home, "vi", username)
        ctx.settings.first_run_done = True
        for k, v in settings.items():
            setattr(ctx.settings, k, v)
        win = MainWindow(ctx)  # closed below, after its background work has finished
        with qtbot.waitSignal(win.first_list_shown, timeout=20_000):
            win.show()
        wait_idle(qtbot)
        opened.append(win)
        return win

    yield make
    for win in opened:
        wait_idle(qtbot)
        win.sync_status.stop()
        for child in win.findChildren(QDialog):
            child.done(0)
        win.close()
        wait_idle(qtbot)
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        win.ctx.office.close()


@pytest.fixture(scope="session")
def token_world(pki_world: Any) -> Any:
    """The suite's SoftHSM2 tokens (LANHDAO holds the leader's certificate, PIN 123456)."""
    return pki_world


@pytest.fixture
def trust_dir(token_world: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "trust"
    folder.mkdir()
    shutil.copy(token_world.pki.cert_path("root"), folder / "root.pem")
    shutil.copy(token_world.pki.cert_path("interm"), folder / "interm.pem")
    return folder
