"""The signature panel: each signature's verification, green / amber / red, details on demand."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.icons import icon
from ui.ops import OpContext, query
from ui.pdfrender import PDFIUM_LOCK

VERDICT_ICON = {"valid": "verified-ok", "untrusted": "verified-warn", "invalid": "verified-bad",
                "unsigned": "verified-warn"}


def verdict_text(verdict: str) -> str:
    return {"valid": tr("Valid"), "untrusted": tr("Intact, signer not confirmed"),
            "invalid": tr("Invalid"), "unsigned": tr("Not signed")}.get(verdict, verdict)


def has_signature(data: bytes) -> bool:
    """Cheap test before importing pyHanko: a signed PDF carries a /ByteRange."""
    return b"/ByteRange" in data


class SignaturePanel(QWidget):
    verified = Signal(str)  # overall verdict

    def __init__(self, trust_provider: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._trust_provider = trust_provider
        self._generation = 0
        self.report: Any = None
        self.summary = QLabel(tr("No file to check."))
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.details_btn = QPushButton(tr("Show details"))
        self.details_btn.setCheckable(True)
        self.details_btn.toggled.connect(self._toggle)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        self.risks = QLabel("")  # active content (JavaScript, launch, embedded files), bombs
        self.risks.setWordWrap(True)
        self.risks.setStyleSheet("color: #b00020; font-weight: bold")
        self.risks.hide()
        lay.addWidget(self.risks)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.details_btn)
        lay.addWidget(self.details, 2)

    def clear(self) -> None:
        self._generation += 1
        self.report = None
        self.list.clear()
        self.details.clear()
        self.summary.setText(tr("No file to check."))

    def set_pdf(self, data: bytes | None, name: str = "") -> None:
        self.clear()
        self.risks.hide()
        if data is None:
            return
        self._scan_risks(data)
        if not has_signature(data):
            self.summary.setText(tr("This file carries no digital signature."))
            self.verified.emit("unsigned")
            return
        self.summary.setText(tr("Checking signatures…"))
        generation = self._generation
        trust = self._trust_provider()

        def work(_ctx: OpContext) -> Any:
            from signing.verify import verify_pdf

            with PDFIUM_LOCK:
                return verify_pdf(data, trust=trust, online=False, name=name)

        def show(report: Any) -> None:
            if generation == self._generation:
                self.show_report(report)

        query(self, work, show)

    def _scan_risks(self, data: bytes) -> None:
        generation = self._generation

        def work(_ctx: OpContext) -> Any:
            from signing.pdfsafety import scan_pdf

            return scan_pdf(data)

        def show(risks: Any) -> None:
            from desk.i18n import language

            if generation == self._generation and risks.risky:
                self.risks.setText(tr("Warning: this PDF {what}.").format(what="; ".join(risks.describe(language()))))
                self.risks.show()

        query(self, work, show)

    def show_report(self, report: Any) -> None:
        from desk.i18n import language

        self.report = report
        self.list.clear()
        self.summary.setText(tr("Overall: {verdict}").format(verdict=verdict_text(report.verdict)))
        for s in report.signatures:
            when = s.timestamp_time or s.signing_time
            label = (tr("Document timestamp") if s.kind == "document_timestamp" else s.signer) + (
                f" — {when.strftime('%d/%m/%Y %H:%M')}" if when else "")
            label += f" — {verdict_text(s.verdict)}"
            item = QListWidgetItem(icon(VERDICT_ICON.get(s.verdict, "verified-warn")), label)
            item.setData(256, s.verdict)
            self.list.addItem(item)
        self.details.setPlainText(report.summary(language()))
        self.verified.emit(report.verdict)

    def _toggle(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_btn.setText(tr("Hide details") if on else tr("Show details"))
