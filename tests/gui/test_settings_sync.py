"""Settings and the first-run wizard (secret in the keyring only), the sync status in the
status bar, errors users meet (a damaged PDF), and ``desk gui --screenshot`` as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import shot, wait_idle


@pytest.fixture
def temp_keyring(tmp_path: Path) -> Iterator[Path]:
    """A file keyring in a temporary folder (no Secret Service on a headless box)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    kr = PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(kr)
    yield tmp_path / "keyring.cfg"
    keyring.set_keyring(previous)


def test_first_run_wizard_keeps_the_secret_in_the_keyring(open_window: Any, qtbot: Any, temp_keyring: Path,
                                                         token_world: Any, shown_messages: list[Any]) -> None:
    from desk.i18n import set_language
    from sync.secrets import load_secret
    from ui.dialogs.settings_dialog import (
        ExchangeSection,
        PeopleSection,
        SigningSection,
        run_first_run_wizard,
    )
    from ui.settings import Settings

    win = open_window("vanthu")
    win.sync_status.refresh()
    wait_idle(qtbot)
    assert win.sync_status.label.text() == "chưa cấu hình máy chủ liên thông"
    wizard = run_first_run_wizard(win)
    parts = {type(p): p for p in wizard.parts}
    ex: ExchangeSection = parts[ExchangeSection]
    ex.url.setText("http://127.0.0.1:9")
    ex.agency.setText("000.00.12.H49")
    ex.secret.setText("bí-mật-trục")
    sig: SigningSection = parts[SigningSection]
    sig.tsa.setText("http://127.0.0.1:9/tsa")
    sig.seal.setText(str(token_world.images["seal"]))
    people: PeopleSection = parts[PeopleSection]
    from PySide6.QtCore import Qt

    for i in range(people.list.count()):
        item = people.list.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) in ("vanthu", "chutich")
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    wizard.show()
    shot(wizard, "settings-first-run-wizard")
    wizard.accept()
    wait_idle(qtbot)
    home = win.ctx.office.paths.home
    saved = Settings.load(home / "settings.toml")
    assert saved.first_run_done and saved.tsa_url == "http://127.0.0.1:9/tsa"
    assert sorted(saved.users_on_pc) == ["chutich", "vanthu"]
    for f in home.glob("*.toml"):
        assert "bí-mật-trục" not in f.read_text(encoding="utf-8"), f
    assert load_secret("http://127.0.0.1:9", "000.00.12.H49") == "bí-mật-trục"
    from desk.services.people import self_org

    with win.ctx.office.db.read() as s:
        seal = self_org(s).seal_sha256
    assert seal and win.ctx.office.blobs.read_bytes(seal) == token_world.images["seal"].read_bytes()
    assert win.user_combo.count() == 2
    # The exchange is configured now, and down: the status bar says so in plain words.
    set_language("vi")
    win.sync_status.forget_engine()
    wait_idle(qtbot)
    assert win.sync_status.configured is True
    # The client's own retry policy (about 45 s of backoff before it calls a server down) is
    # the sync engine's business and tested there; here one quick try is enough.
    client = win.sync_status.engine.client
    client.max_stalls, client.retry_delay = 1, 0.05
    win.sync_status.sync_now()
    wait_idle(qtbot, timeout=60_000)
    text = win.sync_status.label.text()
    assert "lỗi" in text and "chờ gửi" in text, text
    shot(win, "main-sync-status-offline")
    assert not [m for m in shown_messages if "mã tham chiếu" in m[2]], shown_messages


def test_damaged_pdf_is_refused_with_a_clear_message(open_window: Any, qtbot: Any, tmp_path: Path,
                                                    shown_messages: list[Any]) -> None:
    from desk.search import Filters, count_documents
    from ui import workflow_actions as wa

    win = open_window("vanthu")
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not a real PDF")
    with win.ctx.office.db.read() as s:
        before = count_documents(s, Filters())
    dlg = wa.import_files(win, [bad])
    dlg.register_after.setChecked(False)
    dlg.accept()
    wait_idle(qtbot)
    warnings = [m for m in shown_messages if m[0] == "warning"]
    assert len(warnings) == 1 and "hong.pdf" in warnings[0][2], shown_messages
    assert "Traceback" not in warnings[0][2] and "mã tham chiếu" not in warnings[0][2]
    with win.ctx.office.db.read() as s:
        assert count_documents(s, Filters()) == before


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(extra)
    return env


def test_desk_gui_screenshot_command(office_home: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    r = subprocess.run([sys.executable, "-m", "desk.cli.main", "--home", str(office_home), "gui",
                        "--view", "in:in_progress", "--screenshot", str(out)],
                       env=_env(QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("first_list_s=")]
    assert line and 0 < float(line[0].split("=")[1]) < 30
    img = QImage(str(out))
    assert img.width() >= 1000 and img.height() >= 600


def test_desk_gui_without_a_display_says_so(office_home: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "desk.cli.main", "--home", str(office_home), "gui"],
                       env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "DISPLAY" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_english_is_available(office_home: Path, qtbot: Any) -> None:
    from desk.i18n import language, set_language
    from ui.app import application, open_context
    from ui.i18n import install_translator, tr
    from ui.nav import sections

    application()
    try:
        ctx = open_context(office_home, "en", "vanthu")
        assert language() == "en" and tr("Awaiting registration") == "Awaiting registration"
        assert sections()[0][0] == "Incoming documents"
        ctx.office.close()
        install_translator("vi")
        assert tr("Awaiting registration") == "Chờ vào sổ" and sections()[0][0] == "Văn bản đến"
    finally:
        install_translator("vi")
        set_language("vi")
