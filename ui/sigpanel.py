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
        self.on_arrival = QLabel()  # the verdict recorded when the document entered the office
        self.on_arrival.setWordWrap(True)
        self.trust_line = QLabel()  # what this check trusted
        self.trust_line.setWordWrap(True)
        self.list = QListWidget()
        self.details_btn = QPushButton(tr("Show details"))
        self.details_btn.setCheckable(True)
        self.details_btn.toggled.connect(self._toggle)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.on_arrival)
        self.risks = QLabel("")  # active content (JavaScript, launch, embedded files), bombs
        self.risks.setWordWrap(True)
        self.risks.setStyleSheet("color: #b00020; font-weight: bold")
        self.risks.hide()
        lay.addWidget(self.risks)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.trust_line)
        lay.addWidget(self.details_btn)
        lay.addWidget(self.details, 2)

    def clear(self) -> None:
        self._generation += 1
        self.report = None
        self.list.clear()
        self.details.clear()
        self.summary.setText(tr("No file to check."))
        self.on_arrival.clear()
        self.trust_line.clear()

    def set_pdf(self, data: bytes | None, name: str = "", recorded: dict[str, Any] | None = None) -> None:
        """Check ``data``'s signatures now; ``recorded`` is the verdict kept when it arrived."""
        self.clear()
        self.risks.hide()
        if data is None:
            return
        if recorded:
            self.show_recorded(recorded)
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

            doc_trust = trust.for_document(data, online=False)  # pyHanko only, no pdfium
            return verify_pdf(data, trust=doc_trust, online=False, name=name)

        def show(report: Any) -> None:
            if generation == self._generation:
                self.show_report(report)
                self.show_trust(trust)

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

    def show_recorded(self, rec: dict[str, Any]) -> None:
        from desk.i18n import language
        from desk.signatures import verdict_text as core_verdict

        when = str(rec.get("checked_at") or "")
        when_text = f"{when[8:10]}/{when[5:7]}/{when[:4]} {when[11:16]}" if len(when) >= 16 else when
        reasons = [r.get("en") if language() == "en" else r.get("vi")
                   for r in rec.get("reasons", []) if r.get("severity") == "problem"]
        text = tr("On arrival ({when}): {verdict}").format(
            when=when_text, verdict=core_verdict(str(rec.get("verdict")), language()))
        if reasons:
            text += " — " + "; ".join(str(r) for r in reasons[:3])
        self.on_arrival.setText(text)

    def show_trust(self, trust: Any) -> None:
        from desk.i18n import language

        self.trust_line.setText(trust.describe(language()))

    def _toggle(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_btn.setText(tr("Hide details") if on else tr("Show details"))
