"""Issue 11, item 4 in the app: Desk's encrypted key file asks for its passphrase once per session.

A headless Linux desktop whose only keyring is keyrings.alt's plaintext file: Desk keeps
the exchange secret in its own encrypted file instead, and the app asks for the
passphrase in a dialog (no terminal, no DESK_KEYRING_PASSPHRASE). A wrong passphrase is
said clearly and never tried again by itself; the right one is kept in memory for the
session, so the dialog does not come back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from sync import secrets
from tests.gui.conftest import shot, wait_idle
from tests.support.keyrings import plaintext_keyring_only

RIGHT = "cụm mật khẩu của văn thư 2026"
URL_CODE = "000.00.71.H49"


@pytest.fixture
def plaintext_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    previous = plaintext_keyring_only(tmp_path, monkeypatch)
    monkeypatch.delenv("DESK_KEYRING_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", None)  # the app has no terminal
    secrets.forget_passphrase()
    yield tmp_path
    secrets.forget_passphrase()
    keyring.set_keyring(previous)


@pytest.fixture
def vietnamese(qtbot: Any) -> Iterator[None]:
    from desk.i18n import language
    from ui.app import application
    from ui.i18n import install_translator

    application()
    before = language()
    install_translator("vi")
    yield
    install_translator(before)


def _stored(url: str, code: str, secret: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A secret saved earlier (in another session) under the passphrase RIGHT."""
    monkeypatch.setenv("DESK_KEYRING_PASSPHRASE", RIGHT)
    secrets.store_secret(url, code, secret)
    monkeypatch.delenv("DESK_KEYRING_PASSPHRASE")
    secrets.forget_passphrase()


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    tried: list[str] = []
    real = secrets.EncryptedFileStore.check_passphrase

    def spy(self: Any, passphrase: str) -> None:
        tried.append(passphrase)
        real(self, passphrase)

    monkeypatch.setattr(secrets.EncryptedFileStore, "check_passphrase", spy)
    return tried


def test_a_wrong_passphrase_is_said_and_not_retried_the_right_one_is_kept(
        plaintext_only: Path, vietnamese: None, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.passphrase_dialog import PassphraseDialog, ask_once

    _stored("https://truc.example", URL_CODE, "bí-mật-" + "x" * 30, monkeypatch)
    with pytest.raises(secrets.SecretMissing) as ei:
        secrets.load_secret("https://truc.example", URL_CODE)
    assert ei.value.code == secrets.LOCKED
    assert secrets.passphrase_needed()
    tried = _count_checks(monkeypatch)
    dlg = PassphraseDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    texts = " ".join(w.text() for w in dlg.findChildren(type(dlg.error)))
    assert "tệp mã hóa" in texts and "secrets.enc.json" in texts, texts  # which backend holds it
    assert not dlg.again.isVisible()  # the file exists: asked once, not twice
    dlg.passphrase.setText("mật khẩu sai")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.error.isVisible()
    assert "Sai mật khẩu" in dlg.error.text() and "chưa thử lại" in dlg.error.text()
    assert dlg.passphrase.text() == ""  # cleared: nothing typed is reused
    qtbot.wait(300)
    assert tried == ["mật khẩu sai"]  # once, and not again by itself
    assert secrets.passphrase_needed()  # the wrong one was not kept
    shot(dlg, "keyring-passphrase-wrong")
    dlg.passphrase.setText(RIGHT)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted and not dlg.isVisible()
    assert tried == ["mật khẩu sai", RIGHT]
    assert not secrets.passphrase_needed()
    assert secrets.load_secret("https://truc.example", URL_CODE).startswith("bí-mật-")
    # Once per session: asking again opens nothing.
    answered: list[bool] = []
    assert ask_once(None, answered.append) is None and answered == [True]


def test_a_new_key_file_asks_the_passphrase_twice(plaintext_only: Path, vietnamese: None, qtbot: Any) -> None:
    from ui.dialogs.passphrase_dialog import PassphraseDialog

    dlg = PassphraseDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.new and dlg.again.isVisible()
    shot(dlg, "keyring-passphrase-new")
    dlg.passphrase.setText(RIGHT)
    dlg.again.setText(RIGHT + "!")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "không giống nhau" in dlg.error.text()
    dlg.passphrase.setText(RIGHT)
    dlg.again.setText(RIGHT)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    secrets.store_secret("https://truc.example", URL_CODE, "s" * 40)
    enc = next((plaintext_only / "config").rglob("secrets.enc.json"))
    assert "s" * 40 not in enc.read_text()
    # A later session with another passphrase cannot add a secret under a second key.
    secrets.forget_passphrase()
    with pytest.raises(secrets.SecretMissing) as ei:
        secrets.unlock("một mật khẩu khác")
    assert ei.value.code == secrets.WRONG_PASSPHRASE and secrets.passphrase_needed()


def test_the_status_bar_asks_once_then_syncs_with_a_real_server(
        plaintext_only: Path, open_window: Any, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, shown_messages: list[Any]) -> None:
    from sync.connection import Connection, save_connection
    from sync.testing.server_proc import ServerProcess

    with ServerProcess(tmp_path / "srv") as srv:
        secret = srv.add_agency(URL_CODE, "UBND xã thử")
        _stored(srv.url, URL_CODE, secret, monkeypatch)
        win = open_window("vanthu")
        bar = win.sync_status
        save_connection(win.ctx.office.paths.home, Connection(srv.url, URL_CODE))
        bar.engine = None
        tried = _count_checks(monkeypatch)
        bar.start()
        dlg = bar.passphrase_dialog
        assert dlg is not None and dlg.isVisible()
        dlg.passphrase.setText("sai rồi")
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
        assert dlg.isVisible() and dlg.error.isVisible() and tried == ["sai rồi"]
        dlg.passphrase.setText(RIGHT)
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
        wait_idle(qtbot)
        assert bar.passphrase_dialog is None and not bar.locked
        bar.sync_now()
        wait_idle(qtbot, timeout=60_000)
        assert "Trực tuyến" in bar.label.text(), bar.label.text()
        assert bar.passphrase_dialog is None and tried == ["sai rồi", RIGHT]  # asked once this session

        # Cancelled: the status bar says the secret is locked; timed syncs do not ask again,
        # pressing Sync does.
        secrets.forget_passphrase()
        bar.engine = None
        bar.sync_now(quiet=True)
        assert bar.passphrase_dialog is not None
        bar.passphrase_dialog.reject()
        wait_idle(qtbot)
        assert bar.locked and "bị khóa" in bar.label.text(), bar.label.text()
        bar.sync_now(quiet=True)
        assert bar.passphrase_dialog is None
        bar.sync_now()
        assert bar.passphrase_dialog is not None
        bar.passphrase_dialog.reject()
        wait_idle(qtbot)
        bar.stop()
