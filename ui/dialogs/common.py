"""Small building blocks shared by the work dialogs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def date_edit(value: date | None = None) -> QDateEdit:
    e = QDateEdit()
    e.setDisplayFormat("dd/MM/yyyy")
    e.setCalendarPopup(True)
    if value is not None:
        e.setDate(qdate(value))
    return e


def buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class TextDialog(QDialog):
    """A note, opinion, reason or progress report: text, optionally a percentage."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, ok_text: str, *,
                 required: bool = True, percent: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.required = required
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.percent: QSpinBox | None = None
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        if percent is not None:
            self.percent = QSpinBox()
            self.percent.setRange(0, 100)
            self.percent.setSuffix(" %")
            self.percent.setValue(percent)
            form.addRow(tr("Progress:"), self.percent)
        form.addRow(prompt, self.text)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, ok_text))
        self.resize(460, 240)

    def accept(self) -> None:
        if self.required and not self.text.toPlainText().strip():
            self.error.setText(tr("Please write something first."))
            self.text.setFocus()
            return
        super().accept()

    def value(self) -> str:
        return self.text.toPlainText().strip()
