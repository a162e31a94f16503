"""Vào sổ đến: check the fields (pre-filled from edXML or the PDF's text), see duplicates, register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.reference import DOC_TYPES
from ui.context import AppContext
from ui.dialogs.common import buttons, date_edit, pydate
from ui.i18n import tr
from ui.listmodel import urgency_text


@dataclass(frozen=True)
class RegisterForm:
    changes: dict[str, Any]
    note: str | None


class RegisterDialog(QDialog):
    def __init__(self, ctx: AppContext, doc_id: int, parent: QWidget | None = None) -> None:
        from desk.services.queries import document_fields, unsure_fields

        super().__init__(parent)
        self.ctx, self.doc_id = ctx, doc_id
        self.setWindowTitle(tr("Register incoming document"))
        self.original = document_fields(ctx.office, doc_id)
        self.unsure = {c.name: c for c in unsure_fields(ctx.office, doc_id)}
        o = self.original
        self.doc_type = QComboBox()
        for t in DOC_TYPES:
            self.doc_type.addItem(t.name, t.code)
        self.doc_type.setCurrentIndex(max(0, self.doc_type.findData(o["doc_type"])))
        self.number = QLineEdit(o["number"] or "")
        self.notation = QLineEdit(o["notation"] or "")
        self.issuer_name = QLineEdit(o["issuer_name"] or "")
        self.issuer_code = QLineEdit(o["issuer_code"] or "")
        self.issuer_code.setPlaceholderText("000.00.00.H49")
        self.issued = date_edit(o["issued_date"] or date.today())
        self.subject = QPlainTextEdit(o["subject"] or "")
        self.subject.setTabChangesFocus(True)
        self.subject.setFixedHeight(70)
        self.signer_position = QLineEdit(o["signer_position"] or "")
        self.signer_name = QLineEdit(o["signer_name"] or "")
        self.urgency = QComboBox()
        for level in range(4):
            self.urgency.addItem(urgency_text(level) or tr("Normal"), level)
        self.urgency.setCurrentIndex(int(o["urgency"] or 0))
        self.confidentiality = QComboBox()
        for level, text in enumerate((tr("Normal"), tr("Secret"), tr("Top secret"), tr("Ultra secret"))):
            self.confidentiality.addItem(text, level)
        self.confidentiality.setCurrentIndex(int(o["confidentiality"] or 0))
        self.pages = QSpinBox()
        self.pages.setRange(0, 9999)
        self.pages.setValue(int(o["page_count"] or 0))
        self.has_due = QCheckBox(tr("Deadline"))
        self.due = date_edit(o["due_date"] or date.today())
        self.has_due.setChecked(o["due_date"] is not None)
        self.due.setEnabled(self.has_due.isChecked())
        self.has_due.toggled.connect(self.due.setEnabled)
        self.note = QLineEdit()
        self.duplicates = QLabel()
        self.duplicates.setWordWrap(True)
        self.duplicates.setStyleSheet("color: #b71c1c; font-weight: 600;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.check_hint = QLabel()
        self.check_hint.setWordWrap(True)
        self.check_hint.setStyleSheet("color: #8a6d00;")
        # Under the number and the date when the reader found them written by hand on the scan.
        self.by_hand = {"number": QLabel(tr("Number written by hand: the clerk checks it on the document.")),
                        "issued_date": QLabel(tr("Date probably written by hand: the clerk checks it on the document."))}
        for label in self.by_hand.values():
            label.setWordWrap(True)
            label.setStyleSheet("color: #b34700; font-weight: 600;")
        self._mark_unsure()
        form = QFormLayout()
        form.addRow(self.check_hint)
        form.addRow(tr("Type:"), self.doc_type)
        form.addRow(tr("Number:"), self.number)
        if self.by_hand_shown("number"):
            form.addRow("", self.by_hand["number"])
        form.addRow(tr("Notation:"), self.notation)
        form.addRow(tr("Issued by:"), self.issuer_name)
        form.addRow(tr("Organisation ID:"), self.issuer_code)
        form.addRow(tr("Date:"), self.issued)
        if self.by_hand_shown("issued_date"):
            form.addRow("", self.by_hand["issued_date"])
        form.addRow(tr("Subject:"), self.subject)
        form.addRow(tr("Signer's position:"), self.signer_position)
        form.addRow(tr("Signer:"), self.signer_name)
        form.addRow(tr("Urgency:"), self.urgency)
        form.addRow(tr("Confidentiality:"), self.confidentiality)
        form.addRow(tr("Pages:"), self.pages)
        form.addRow(self.has_due, self.due)
        form.addRow(tr("Note:"), self.note)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.duplicates)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, tr("Register")))
        self.resize(600, 620)
        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(250)
        self._dup_timer.timeout.connect(self.check_duplicates)
        for w in (self.number, self.notation, self.issuer_name, self.issuer_code):
            w.textChanged.connect(lambda _t: self._dup_timer.start())
        self.check_duplicates()

    def _mark_unsure(self) -> None:
        """Fields the reader was not sure of (or did not find): yellow, with how sure it was."""
        widgets = {"doc_type": self.doc_type, "number": self.number, "notation": self.notation,
                   "issuer_name": self.issuer_name, "issued_date": self.issued, "subject": self.subject,
                   "signer_name": self.signer_name}
        sources = {"text": tr("PDF text"), "ocr": tr("OCR"), "appearance": tr("signature appearance"),
                   "certificate": tr("signing certificate"), "file": tr("file name")}
        for name, check in self.unsure.items():
            w = widgets.get(name)
            if w is None:
                continue
            w.setProperty("unsure", True)
            w.setStyleSheet("background: #fff3cd;")
            if check.handwritten:
                w.setToolTip(self.by_hand[name].text() if name in self.by_hand else "")
            elif check.source:
                tip = tr("Read automatically, not sure ({percent}% from {source}): check it against the document.")
                w.setToolTip(tip.format(percent=round(check.confidence * 100),
                                        source=sources.get(check.source, check.source)))
            else:
                w.setToolTip(tr("Not found on the document: fill it in."))
        if self.unsure:
            self.check_hint.setText(
                tr("Check the fields in yellow against the document: they were read automatically and may be wrong."))
        else:
            self.check_hint.hide()

    def by_hand_shown(self, name: str) -> bool:
        """Whether the form says the field was written by hand (the reader's finding, unchecked)."""
        check = self.unsure.get(name)
        return check is not None and check.handwritten

    def values(self) -> dict[str, Any]:
        def opt(e: QLineEdit) -> str | None:
            return e.text().strip() or None

        return {
            "doc_type": self.doc_type.currentData(), "number": opt(self.number),
            "notation": opt(self.notation), "issuer_name": opt(self.issuer_name),
            "issuer_code": opt(self.issuer_code), "issued_date": pydate(self.issued.date()),
            "subject": self.subject.toPlainText().strip(), "signer_position": opt(self.signer_position),
            "signer_name": opt(self.signer_name), "urgency": self.urgency.currentData(),
            "confidentiality": self.confidentiality.currentData(),
            "page_count": self.pages.value() or None,
            "due_date": pydate(self.due.date()) if self.has_due.isChecked() else None,
        }

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items() if self.original.get(k) != v}

    def check_duplicates(self) -> list[Any]:
        """Decree 30 App. VI: same DocumentId, or same số + ký hiệu + issuer (a quick indexed query)."""
        from desk.errors import DeskError
        from desk.services.documents import DocumentInput
        from desk.services.queries import duplicates

        v = self.values()
        try:
            data = DocumentInput(**{k: v[k] for k in ("doc_type", "subject", "number", "notation",
                                                      "issuer_code", "issuer_name")},
                                 edxml_document_id=self.original["edxml_document_id"])
            hits = duplicates(self.ctx.office, data, exclude_id=self.doc_id)
        except DeskError:
            hits = []
        if hits:
            lines = [tr("Possible duplicate of an earlier document:")]
            lines += [f"  #{h.document_id}: {h.subject}" for h in hits[:5]]
            self.duplicates.setText("\n".join(lines))
        else:
            self.duplicates.clear()
        return hits

    def accept(self) -> None:
        if not self.subject.toPlainText().strip():
            self.error.setText(tr("The subject must not be empty."))
            self.subject.setFocus()
            return
        super().accept()

    def form(self) -> RegisterForm:
        return RegisterForm(self.changes(), self.note.text().strip() or None)


def register_work(ctx: AppContext, doc_id: int, form: RegisterForm) -> Callable[[Any], Any]:
    """Edit (if needed) and register in one transaction: the number is taken only if both succeed."""
    from desk.services import actions

    office, actor_id = ctx.office, ctx.user_id

    def work(_op: Any) -> Any:
        return actions.register(office, doc_id, actor_id, form.changes, form.note).value

    return work
