"""The passphrase of Desk's encrypted key file, asked once per session.

On a computer without a secure OS keyring (a Linux desktop with no Secret Service),
:mod:`sync.secrets` keeps the exchange secret in its own encrypted file, whose key comes
from a passphrase. The app asks for it here, once per session, the first time the secret
is needed; :func:`sync.secrets.unlock` checks it and keeps it in memory until Desk
closes. A wrong passphrase is never tried again by itself: the dialog says so and
waits for the user, who may type it again or cancel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


def needed() -> bool:
    """True when the secret is in the encrypted file and this session has no passphrase yet."""
    try:
        from sync.secrets import passphrase_needed
    except ImportError:  # a build without the sync package has no secret to open
        return False
    try:
        return passphrase_needed()
    except Exception:  # no keyring backend at all: saving or reading the secret says so
        return False


class PassphraseDialog(QDialog):
    """Asks for the key file's passphrase (twice when the file is new) and unlocks it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from desk.i18n import language
        from sync.secrets import passphrase_is_new, storage_description

        super().__init__(parent)
        self.new = passphrase_is_new()
        self.setWindowTitle(tr("Unlock Desk's key file"))
        self.setMinimumWidth(520)
        where = QLabel(tr("The exchange secret is kept in: {where}.").format(
            where=storage_description(language())))
        where.setWordWrap(True)
        why = QLabel(tr("This computer has no secure keyring of its own, so Desk keeps the exchange secret "
                        "in an encrypted file. Choose the passphrase that will lock it; it is asked once per "
                        "session and kept in memory only until Desk closes.") if self.new else
                     tr("This computer has no secure keyring of its own, so Desk keeps the exchange secret "
                        "in an encrypted file. Enter its passphrase; it is asked once per session and kept "
                        "in memory only until Desk closes."))
        why.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName(tr("Passphrase again"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: 600;")
        self.error.hide()
        note = QLabel(tr("A wrong passphrase is never tried again by itself."))
        note.setStyleSheet("color: #546e7a;")
        self.ok = QPushButton(tr("Unlock"))
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.try_unlock)
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ok)
        row.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(where)
        lay.addWidget(why)
        lay.addWidget(QLabel(tr("Passphrase:")))
        lay.addWidget(self.passphrase)
        if self.new:
            lay.addWidget(QLabel(tr("The same passphrase again:")))
            lay.addWidget(self.again)
        lay.addWidget(self.error)
        lay.addWidget(note)
        lay.addLayout(row)

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.passphrase.clear()
        self.again.clear()
        self.passphrase.setFocus()

    def try_unlock(self) -> None:
        """Check what was typed, once; on success the dialog closes, otherwise it says why."""
        from sync.errors import SyncError
        from sync.secrets import unlock

        text = self.passphrase.text()
        if not text:
            self._fail(tr("Enter the passphrase."))
            return
        if self.new and text != self.again.text():
            self._fail(tr("The two passphrases differ; type them again."))
            return
        try:
            unlock(text)
        except SyncError as exc:
            self._fail(exc.message())
            return
        self.accept()


def ask_once(parent: QWidget | None, then: Callable[[bool], None]) -> PassphraseDialog | None:
    """If the key file needs its passphrase, open the dialog (non-blocking) and call
    ``then(unlocked)`` when it closes; otherwise call ``then(True)`` at once and return None."""
    if not needed():
        then(True)
        return None
    dlg = PassphraseDialog(parent)

    def finished(code: int) -> None:
        then(code == QDialog.DialogCode.Accepted)
        dlg.deleteLater()

    dlg.finished.connect(finished)
    dlg.open()
    return dlg
